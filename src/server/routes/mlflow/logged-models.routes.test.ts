import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment, createRun } from '../../test-support/seed.js';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
/** A model id of the server's form that no model has. */
const NO_MODEL = `m-${'0'.repeat(32)}`;
const NO_RUN = '0123456789abcdef0123456789abcdef';

/** Sends the path exactly as written (no URL normalisation, unlike `inject`), as `curl --path-as-is` would. */
function rawRequest(port: number, method: string, path: string, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false, headers: { 'content-type': 'application/octet-stream' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const kv = (entries: Record<string, string>) => Object.entries(entries).map(([key, value]) => ({ key, value }));

describe.each(backends())('MLflow logged models on %s', (backend) => {
  let server: TestServer;
  let exp: string;
  let clock: number;
  beforeEach(async () => {
    clock = 1_700_000_000_000;
    server = await testServer(backend, () => clock);
    exp = await createExperiment(server, 'models');
  });
  afterEach(async () => {
    await server.close();
  });

  /** PATCH and DELETE are not in the harness's `post`/`get`. */
  async function send(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
    const res = await server.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body === '' ? undefined : res.json<Record<string, any>>() };
  }
  async function create(body: Record<string, unknown> = {}) {
    const res = await server.post(`${ML}/logged-models`, { experiment_id: exp, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.model;
  }
  const getModel = (id: string) => server.get(`${ML}/logged-models/${id}`);
  const getRun = async (runId: string) => {
    const res = await server.get(`${ML}/runs/get?run_id=${runId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.run;
  };
  const put = (path: string, body: string) =>
    server.app.inject({ method: 'PUT', url: `${PROXY}/${path}`, payload: body, headers: { 'content-type': 'application/octet-stream' } });

  it('creates a model with its name, params and tags sorted by key, PENDING, under the experiment', async () => {
    const runId = await createRun(server, exp);
    const model = await create({
      name: 'classifier',
      model_type: 'sklearn',
      source_run_id: runId,
      params: kv({ z: '1', a: '2', m: '3' }),
      tags: kv({ 'mlflow.user': 'ana', beta: 'b', alpha: 'a' }),
    });
    expect(model.info.model_id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(model).toEqual({
      info: {
        model_id: model.info.model_id,
        experiment_id: exp,
        name: 'classifier',
        creation_timestamp_ms: clock,
        last_updated_timestamp_ms: clock,
        artifact_uri: `mlflow-artifacts:/${exp}/models/${model.info.model_id}/artifacts`,
        status: 'LOGGED_MODEL_PENDING',
        model_type: 'sklearn',
        source_run_id: runId,
        tags: kv({ alpha: 'a', beta: 'b', 'mlflow.user': 'ana' }),
      },
      data: { params: kv({ a: '2', m: '3', z: '1' }) },
    });
    expect(await getModel(model.info.model_id)).toEqual({ status: 200, body: { model } });
  });

  it('names a model at random when no name is given; omits tags, params and metrics when there are none', async () => {
    const a = await create();
    const b = await create({ name: '' });
    for (const model of [a, b]) {
      expect(model.info.name).toMatch(/\S/);
      expect(model.info.model_type).toBe('');
      expect(model.info).not.toHaveProperty('tags');
      expect(model.info).not.toHaveProperty('source_run_id');
      expect(model.data).toEqual({});
      expect(model.info.status).toBe('LOGGED_MODEL_PENDING');
    }
    expect(a.info.model_id).not.toBe(b.info.model_id);
  });

  it('finalizes to READY or UPLOAD_FAILED, and refuses any other status with a 400', async () => {
    const a = await create({ name: 'a' });
    const b = await create({ name: 'b' });
    clock += 5000;
    const ready = await send('PATCH', `${ML}/logged-models/${a.info.model_id}`, { model_id: a.info.model_id, status: 'LOGGED_MODEL_READY' });
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    expect(ready.body!.model.info).toMatchObject({ status: 'LOGGED_MODEL_READY', creation_timestamp_ms: clock - 5000, last_updated_timestamp_ms: clock });
    const failed = await send('PATCH', `${ML}/logged-models/${b.info.model_id}`, { status: 'LOGGED_MODEL_UPLOAD_FAILED' });
    expect(failed.body!.model.info.status).toBe('LOGGED_MODEL_UPLOAD_FAILED');
    expect((await getModel(a.info.model_id)).body.model.info.status).toBe('LOGGED_MODEL_READY');

    for (const status of ['LOGGED_MODEL_PENDING', 'LOGGED_MODEL_STATUS_UNSPECIFIED', 'DONE', undefined]) {
      const res = await send('PATCH', `${ML}/logged-models/${b.info.model_id}`, { status });
      expect(res.status, String(status)).toBe(400);
      expect(res.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
      expect(res.body!.message).toContain('status');
    }
    expect((await getModel(b.info.model_id)).body.model.info.status).toBe('LOGGED_MODEL_UPLOAD_FAILED');
    expect((await send('PATCH', `${ML}/logged-models/${NO_MODEL}`, { status: 'LOGGED_MODEL_READY' })).status).toBe(404);
  });

  it('deletes a model: get is a 404, search no longer lists it, its artifacts are gone from the proxy', async () => {
    const keep = await create({ name: 'keep' });
    const gone = await create({ name: 'gone' });
    const root = gone.info.artifact_uri.replace('mlflow-artifacts:/', '');
    expect((await put(`${root}/MLmodel`, 'flavors: {}')).statusCode).toBe(200);
    expect(await send('DELETE', `${ML}/logged-models/${gone.info.model_id}`)).toEqual({ status: 200, body: {} });

    expect(await getModel(gone.info.model_id)).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Logged model with ID '${gone.info.model_id}' not found.` },
    });
    const search = await server.post(`${ML}/logged-models/search`, { experiment_ids: [exp] });
    expect(search.body.models.map((m: { info: { name: string } }) => m.info.name)).toEqual(['keep']);
    expect((await server.get(`${PROXY}/${root}/MLmodel`)).status).toBe(404);
    expect((await server.get(`${PROXY}?path=${root}`)).status).toBe(404);
    expect((await server.get(`${ML}/logged-models/${gone.info.model_id}/artifacts/directories`)).status).toBe(404);
    expect((await put(`${root}/other`, 'x')).statusCode).toBe(404);
    // Deleting again, or changing a deleted model, is a 404 too.
    expect((await send('DELETE', `${ML}/logged-models/${gone.info.model_id}`)).status).toBe(404);
    expect((await send('PATCH', `${ML}/logged-models/${gone.info.model_id}/tags`, { tags: kv({ a: 'b' }) })).status).toBe(404);
    expect((await getModel(keep.info.model_id)).status).toBe(200);
  });

  it('sets tags (the last value wins, on a key already set too) and deletes a tag; an unknown tag is a 404', async () => {
    const model = await create({ tags: kv({ stage: 'dev', owner: 'ana' }) });
    const id = model.info.model_id;
    clock += 1000;
    const set = await send('PATCH', `${ML}/logged-models/${id}/tags`, { model_id: id, tags: [...kv({ stage: 'prod', zeta: 'z' }), { key: 'zeta', value: 'last' }] });
    expect(set).toEqual({ status: 200, body: {} });
    let info = (await getModel(id)).body.model.info;
    expect(info.tags).toEqual(kv({ owner: 'ana', stage: 'prod', zeta: 'last' }));
    // As in MLflow (and its recording), tag writes leave last_updated_timestamp_ms alone.
    expect(info.last_updated_timestamp_ms).toBe(clock - 1000);

    expect(await send('DELETE', `${ML}/logged-models/${id}/tags/owner`)).toEqual({ status: 200, body: {} });
    const again = await send('DELETE', `${ML}/logged-models/${id}/tags/owner`);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
    expect(again.body!.message).toContain('owner');
    info = (await getModel(id)).body.model.info;
    expect(info.tags).toEqual(kv({ stage: 'prod', zeta: 'last' }));
    // A tag with a space in its key, sent escaped in the path.
    await send('PATCH', `${ML}/logged-models/${id}/tags`, { tags: kv({ 'my tag': 'v' }) });
    expect((await send('DELETE', `${ML}/logged-models/${id}/tags/my%20tag`)).status).toBe(200);
    expect((await getModel(id)).body.model.info.tags).toEqual(kv({ stage: 'prod', zeta: 'last' }));
    expect((await send('DELETE', `${ML}/logged-models/${NO_MODEL}/tags/stage`)).status).toBe(404);
  });

  it('logs params: the same value again is fine, another value is a 400 and nothing of the request is written', async () => {
    const model = await create({ params: kv({ lr: '0.1' }) });
    const id = model.info.model_id;
    expect(await send('POST', `${ML}/logged-models/${id}/params`, { params: kv({ lr: '0.1', epochs: '3' }) })).toEqual({ status: 200, body: {} });
    const changed = await send('POST', `${ML}/logged-models/${id}/params`, { params: kv({ batch: '32', lr: '0.2' }) });
    expect(changed.status).toBe(400);
    expect(changed.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(changed.body!.message).toContain("key='lr'");
    const twice = await send('POST', `${ML}/logged-models/${id}/params`, { params: [...kv({ batch: '32' }), ...kv({ batch: '64' })] });
    expect(twice.status).toBe(400);
    expect((await getModel(id)).body.model.data.params).toEqual(kv({ epochs: '3', lr: '0.1' }));
  });

  it('answers an unknown or malformed model id with 404 RESOURCE_DOES_NOT_EXIST on every route', async () => {
    for (const id of [NO_MODEL, 'nonsense', 'm-XYZ', `${NO_MODEL}x`, 'M-' + '0'.repeat(32)]) {
      const path = `${ML}/logged-models/${encodeURIComponent(id)}`;
      const answers = [
        await send('GET', path),
        await send('PATCH', path, { status: 'LOGGED_MODEL_READY' }),
        await send('DELETE', path),
        await send('PATCH', `${path}/tags`, { tags: kv({ a: 'b' }) }),
        await send('DELETE', `${path}/tags/a`),
        await send('POST', `${path}/params`, { params: kv({ a: 'b' }) }),
        await send('GET', `${path}/artifacts/directories`),
      ];
      for (const [i, res] of answers.entries()) {
        expect(res.status, `${id} #${i}: ${JSON.stringify(res.body)}`).toBe(404);
        expect(res.body).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
      }
    }
  });

  it('refuses a model in an experiment that does not exist (404) or is deleted (400), or of a run that does not exist', async () => {
    const missing = await server.post(`${ML}/logged-models`, { experiment_id: '987654' });
    expect(missing).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    const noId = await server.post(`${ML}/logged-models`, { name: 'x' });
    expect(noId.status).toBe(400);
    expect(noId.body.message).toContain('experiment_id');

    const doomed = await createExperiment(server, 'doomed');
    expect((await server.post(`${ML}/experiments/delete`, { experiment_id: doomed })).status).toBe(200);
    const deleted = await server.post(`${ML}/logged-models`, { experiment_id: doomed });
    expect(deleted).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(deleted.body.message).toContain('non-active');

    for (const source of [NO_RUN, 'not-a-run']) {
      const res = await server.post(`${ML}/logged-models`, { experiment_id: exp, source_run_id: source });
      expect(res.status, source).toBeGreaterThanOrEqual(400);
      expect(res.status, source).toBeLessThan(500);
      expect(res.body.message).toContain(source);
    }
    const count = await server.db.kysely.selectFrom('logged_models').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('runs/outputs: an unknown model is a 404 and nothing is written; a model twice is kept once; runs/get shows them', async () => {
    const runId = await createRun(server, exp);
    const bare = await createRun(server, exp);
    const a = await create({ name: 'a' });
    const b = await create({ name: 'b' });
    const unknown = await server.post(`${ML}/runs/outputs`, { run_id: runId, models: [{ model_id: a.info.model_id, step: 1 }, { model_id: NO_MODEL }] });
    expect(unknown).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Logged model with ID '${NO_MODEL}' not found.` } });
    expect((await getRun(runId)).outputs).toEqual({});

    const body = { run_id: runId, models: [{ model_id: b.info.model_id, step: 3 }, { model_id: a.info.model_id, step: 1 }, { model_id: b.info.model_id, step: 7 }] };
    expect(await server.post(`${ML}/runs/outputs`, body)).toEqual({ status: 200, body: {} });
    expect(await server.post(`${ML}/runs/outputs`, body)).toEqual({ status: 200, body: {} });
    const run = await getRun(runId);
    expect(run.outputs).toEqual({
      model_outputs: [
        { model_id: a.info.model_id, step: 1 },
        { model_id: b.info.model_id, step: 3 },
      ],
    });
    expect((await getRun(bare)).outputs).toEqual({});
    const search = await server.post(`${ML}/runs/search`, { experiment_ids: [exp] });
    const byId = new Map(search.body.runs.map((r: { info: { run_id: string } }) => [r.info.run_id, r]));
    expect((byId.get(runId) as { outputs: unknown }).outputs).toEqual(run.outputs);
    expect((byId.get(bare) as { outputs: unknown }).outputs).toEqual({});

    expect((await server.post(`${ML}/runs/outputs`, { run_id: NO_RUN, models: [{ model_id: a.info.model_id }] })).status).toBe(404);
    expect((await server.post(`${ML}/runs/outputs`, { run_id: runId, models: [{ model_id: 'bad id' }] })).status).toBe(404);
    expect((await server.post(`${ML}/runs/outputs`, { models: [] })).status).toBe(400);
  });

  it('log-inputs with models: the run shows them as inputs.model_inputs, in the order logged, each once', async () => {
    const runId = await createRun(server, exp);
    const a = await create({ name: 'a' });
    const b = await create({ name: 'b' });
    const models = [{ model_id: b.info.model_id }, { model_id: a.info.model_id }, { model_id: b.info.model_id }];
    expect(await server.post(`${ML}/runs/log-inputs`, { run_id: runId, models })).toEqual({ status: 200, body: {} });
    expect(await server.post(`${ML}/runs/log-inputs`, { run_id: runId, models })).toEqual({ status: 200, body: {} });
    expect((await getRun(runId)).inputs).toEqual({ model_inputs: [{ model_id: b.info.model_id }, { model_id: a.info.model_id }] });
  });

  it("keeps metrics logged for a model, with their run and dataset, in the model's data; the run's metrics are unchanged", async () => {
    const runId = await createRun(server, exp);
    const model = await create({ name: 'scored', source_run_id: runId });
    const id = model.info.model_id;
    const batch = await server.post(`${ML}/runs/log-batch`, {
      run_id: runId,
      metrics: [
        { key: 'acc', value: 0.5, timestamp: 10, step: 0, model_id: id, dataset_name: 'eval', dataset_digest: 'd1' },
        { key: 'acc', value: 0.7, timestamp: 20, step: 1, model_id: id, dataset_name: 'eval', dataset_digest: 'd1' },
        { key: 'loss', value: 'NaN', timestamp: 20, step: 1, model_id: id },
        { key: 'plain', value: 1, timestamp: 20, step: 1 },
      ],
    });
    expect(batch).toEqual({ status: 200, body: {} });
    const single = await server.post(`${ML}/runs/log-metric`, { run_id: runId, key: 'acc', value: 0.9, timestamp: 30, step: 2, model_id: id, dataset_name: 'test' });
    expect(single.status, JSON.stringify(single.body)).toBe(200);

    expect((await getModel(id)).body.model.data.metrics).toEqual([
      { key: 'acc', value: 0.5, timestamp: 10, step: 0, dataset_name: 'eval', dataset_digest: 'd1', model_id: id, run_id: runId },
      { key: 'acc', value: 0.7, timestamp: 20, step: 1, dataset_name: 'eval', dataset_digest: 'd1', model_id: id, run_id: runId },
      { key: 'loss', value: 'NaN', timestamp: 20, step: 1, model_id: id, run_id: runId },
      { key: 'acc', value: 0.9, timestamp: 30, step: 2, dataset_name: 'test', model_id: id, run_id: runId },
    ]);
    const history = await server.get(`${ML}/metrics/get-history?run_id=${runId}&metric_key=acc`);
    expect(history.body.metrics).toEqual([
      { key: 'acc', value: 0.5, timestamp: 10, step: 0 },
      { key: 'acc', value: 0.7, timestamp: 20, step: 1 },
      { key: 'acc', value: 0.9, timestamp: 30, step: 2 },
    ]);
    const run = await getRun(runId);
    expect(run.data.metrics).toEqual([
      { key: 'acc', value: 0.9, timestamp: 30, step: 2 },
      { key: 'loss', value: 'NaN', timestamp: 20, step: 1 },
      { key: 'plain', value: 1, timestamp: 20, step: 1 },
    ]);
  });

  it('refuses a whole log-batch when one metric names an unknown model: 404 and no metric written', async () => {
    const runId = await createRun(server, exp);
    const model = await create();
    const res = await server.post(`${ML}/runs/log-batch`, {
      run_id: runId,
      metrics: [
        { key: 'ok', value: 1, timestamp: 1, step: 0 },
        { key: 'linked', value: 2, timestamp: 1, step: 0, model_id: model.info.model_id },
        { key: 'bad', value: 3, timestamp: 1, step: 0, model_id: NO_MODEL },
      ],
      params: kv({ p: '1' }),
    });
    expect(res).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Logged model with ID '${NO_MODEL}' not found.` } });
    const run = await getRun(runId);
    expect(run.data.metrics).toEqual([]);
    expect(run.data.params).toEqual([]);
    expect((await server.get(`${ML}/metrics/get-history?run_id=${runId}&metric_key=ok`)).body.metrics ?? []).toEqual([]);
    expect((await getModel(model.info.model_id)).body.model.data).toEqual({});
  });

  it('stores artifacts under the model: upload, list through the proxy and the model route, download', async () => {
    const model = await create({ name: 'art' });
    const id = model.info.model_id;
    const root = `${exp}/models/${id}/artifacts`;
    expect(model.info.artifact_uri).toBe(`mlflow-artifacts:/${root}`);
    expect((await put(`${root}/MLmodel`, 'artifact_path: model')).statusCode).toBe(200);
    expect((await put(`${root}/data/model.pkl`, 'pickle-bytes')).statusCode).toBe(200);

    const proxy = await server.get(`${PROXY}?path=${root}`);
    expect(proxy).toEqual({ status: 200, body: { files: [{ path: 'MLmodel', is_dir: false, file_size: 20 }, { path: 'data', is_dir: true }] } });
    expect((await server.get(`${PROXY}?path=${root}/data`)).body.files).toEqual([{ path: 'model.pkl', is_dir: false, file_size: 12 }]);
    const listed = await server.get(`${ML}/logged-models/${id}/artifacts/directories`);
    expect(listed).toEqual({
      status: 200,
      body: { root_uri: model.info.artifact_uri, files: [{ path: 'MLmodel', is_dir: false, file_size: 20 }, { path: 'data', is_dir: true }] },
    });
    const sub = await server.get(`${ML}/logged-models/${id}/artifacts/directories?artifact_directory_path=data`);
    expect(sub.body.files).toEqual([{ path: 'data/model.pkl', is_dir: false, file_size: 12 }]);
    const download = await server.app.inject({ method: 'GET', url: `${PROXY}/${root}/data/model.pkl` });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('pickle-bytes');
  });

  it("refuses artifact paths that leave the model's artifacts", async () => {
    const model = await create({ name: 'mine' });
    const other = await create({ name: 'other' });
    const id = model.info.model_id;
    const root = `${exp}/models/${id}/artifacts`;
    expect((await put(`${exp}/models/${other.info.model_id}/artifacts/secret.txt`, 'secret')).statusCode).toBe(200);
    // Each attempt would reach the other model's secret.txt, or a directory beside the model's artifacts.
    const attempts = [
      `${root}/..%2F..%2F${other.info.model_id}%2Fartifacts%2Fsecret.txt`,
      `${root}/%2E%2E/%2E%2E/${other.info.model_id}/artifacts/secret.txt`,
      `${exp}/models/${id}/other/x.txt`,
      `${exp}/models/${id}`,
      `${exp}/models/${NO_MODEL}/artifacts/x.txt`,
      `${exp}/models/not-a-model/artifacts/x.txt`,
      `999/models/${id}/artifacts/x.txt`,
      `${root}/a%5C..%5C..%5Cx.txt`,
    ];
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const address = server.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    for (const path of [...attempts, `${root}/../../${other.info.model_id}/artifacts/secret.txt`]) {
      for (const method of ['PUT', 'GET']) {
        const res = await rawRequest(port, method, `${PROXY}/${path}`, 'overwritten');
        expect(res.status, `${method} ${path}: ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${path}: ${res.body}`).toBeLessThan(500);
        expect(res.body).not.toBe('secret');
      }
    }
    expect((await server.app.inject({ method: 'GET', url: `${PROXY}/${exp}/models/${other.info.model_id}/artifacts/secret.txt` })).body).toBe('secret');
    for (const dir of ['..', '../..', `../../${other.info.model_id}/artifacts`, '/etc']) {
      const res = await server.get(`${ML}/logged-models/${id}/artifacts/directories?artifact_directory_path=${encodeURIComponent(dir)}`);
      expect(res.status, dir).toBe(400);
    }
    // The model's own directory is empty still.
    expect((await server.get(`${ML}/logged-models/${id}/artifacts/directories`)).body.files ?? []).toEqual([]);
  });

  it('gives each studio run row its datasets and its models, [] for a run without', async () => {
    const withBoth = await createRun(server, exp, { name: 'both' });
    const bare = await createRun(server, exp, { name: 'bare' });
    const dataset = (name: string, digest: string, context?: string) => ({
      tags: context ? kv({ 'mlflow.data.context': context }) : [],
      dataset: { name, digest, source_type: 'local', source: '{}' },
    });
    expect((await server.post(`${ML}/runs/log-inputs`, { run_id: withBoth, datasets: [dataset('train', 't1', 'training'), dataset('eval', 'e1')] })).status).toBe(200);
    const sourced = await create({ name: 'sourced', source_run_id: withBoth });
    clock += 1;
    const output = await create({ name: 'output' });
    await send('PATCH', `${ML}/logged-models/${output.info.model_id}`, { status: 'LOGGED_MODEL_READY' });
    clock += 1;
    const dropped = await create({ name: 'dropped', source_run_id: withBoth });
    await server.post(`${ML}/runs/outputs`, { run_id: withBoth, models: [{ model_id: output.info.model_id }, { model_id: sourced.info.model_id }] });
    await send('DELETE', `${ML}/logged-models/${dropped.info.model_id}`);

    const res = await server.post('/api/studio/runs/search', { experimentIds: [exp] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rows = new Map(res.body.runs.map((r: { runId: string }) => [r.runId, r]));
    expect(rows.get(withBoth)).toMatchObject({
      datasets: [
        { name: 'train', digest: 't1', context: 'training' },
        { name: 'eval', digest: 'e1', context: null },
      ],
      models: [
        { modelId: sourced.info.model_id, name: 'sourced', status: 'LOGGED_MODEL_PENDING' },
        { modelId: output.info.model_id, name: 'output', status: 'LOGGED_MODEL_READY' },
      ],
    });
    expect(rows.get(bare)).toMatchObject({ datasets: [], models: [] });
  });
  it('keeps a retried model metric once: the same point logged again (a client retry) is not doubled', async () => {
    const runId = await createRun(server, exp);
    const model = await create({ source_run_id: runId });
    const id = model.info.model_id;
    const batch = { run_id: runId, metrics: [{ key: 'auc', value: 0.8, timestamp: 5, step: 1, model_id: id, dataset_name: 'eval', dataset_digest: 'e1' }] };
    for (let i = 0; i < 3; i++) expect((await server.post(`${ML}/runs/log-batch`, batch)).status).toBe(200);
    await Promise.all(Array.from({ length: 3 }, () => server.post(`${ML}/runs/log-batch`, batch)));
    const metrics = (await getModel(id)).body.model.data.metrics;
    expect(metrics).toEqual([{ key: 'auc', value: 0.8, timestamp: 5, step: 1, dataset_name: 'eval', dataset_digest: 'e1', model_id: id, run_id: runId }]);
  });

});
