import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment, createRun } from '../../test-support/seed.js';

/**
 * Recorded from MLflow 3's client against MLflow's own 3.x server (../shared/wire/mlflow3-client.jsonl,
 * lines 2, 14 and 15: the run's creation, its log-inputs, and the next runs/get), kept here so the
 * test does not depend on a file outside the repository. Ids and times differ from server to server.
 */
const wire = {
  create: {"method":"POST","path":"/api/2.0/mlflow/runs/create","request":{"experiment_id":"5","user_id":"root","run_name":"scored","start_time":1795444807372,"tags":[{"key":"mlflow.user","value":"root"},{"key":"mlflow.source.name","value":"train.py"},{"key":"mlflow.source.type","value":"LOCAL"},{"key":"mlflow.note.content","value":"A **wire** scenario"},{"key":"mlflow.runName","value":"scored"}]},"status":200,"response_inputs":{}},
  logInputs: {"method":"POST","path":"/api/2.0/mlflow/runs/log-inputs","request":{"run_id":"3bda4e0fcd594898a94343710c235119","datasets":[{"tags":[{"key":"split","value":"holdout"},{"key":"mlflow.data.context","value":"eval"}],"dataset":{"name":"eval-set","digest":"4d001e9b","source_type":"local","source":"{\"uri\": \"file:///data/eval.npy\"}","profile":"{\"features_shape\": [4, 3], \"features_size\": 12, \"features_nbytes\": 96}"}}]},"status":200,"response":{}},
  getAfter: {"method":"GET","path":"/api/2.0/mlflow/runs/get","status":200,"response_inputs":{"dataset_inputs":[{"tags":[{"key":"mlflow.data.context","value":"eval"},{"key":"split","value":"holdout"}],"dataset":{"name":"eval-set","digest":"4d001e9b","source_type":"local","source":"{\"uri\": \"file:///data/eval.npy\"}","profile":"{\"features_shape\": [4, 3], \"features_size\": 12, \"features_nbytes\": 96}"}}]}},
} as const;
const recordedRunId = wire.logInputs.request.run_id;

const input = (name: string, digest: string, tags: Record<string, string> = {}, extra: Record<string, string> = {}) => ({
  tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
  dataset: { name, digest, source_type: 'local', source: `{"uri": "file:///data/${name}"}`, ...extra },
});

describe.each(backends())('MLflow runs/log-inputs (datasets) on %s', (backend) => {
  let server: TestServer;
  let exp: string;
  beforeEach(async () => {
    server = await testServer(backend);
    exp = await createExperiment(server, 'datasets');
  });
  afterEach(async () => {
    await server.close();
  });

  const logInputs = (body: Record<string, unknown>) => server.post(`${ML}/runs/log-inputs`, body);
  const getRun = async (runId: string) => {
    const res = await server.get(`${ML}/runs/get?run_id=${runId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.run;
  };
  const count = async (table: 'datasets' | 'run_inputs' | 'run_input_tags') =>
    Number((await server.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('answers the recorded MLflow 3 exchange: {} from log-inputs, then the same inputs from runs/get and runs/search', async () => {
    const created = await server.post(`${ML}${wire.create.path.replace('/api/2.0/mlflow', '')}`, { ...wire.create.request, experiment_id: exp });
    expect(created.status).toBe(wire.create.status);
    expect(created.body.run.inputs).toEqual(wire.create.response_inputs);
    const runId = created.body.run.info.run_id as string;
    expect((await getRun(runId)).inputs).toEqual({});

    const res = await server.post(`${ML}${wire.logInputs.path.replace('/api/2.0/mlflow', '')}`, { ...wire.logInputs.request, run_id: runId });
    expect(res).toEqual({ status: wire.logInputs.status, body: wire.logInputs.response });

    const run = await getRun(runId);
    expect(run.inputs).toEqual(wire.getAfter.response_inputs);
    // Field by field as recorded: schema was not sent, so it is omitted (not ""); tags by key.
    expect(JSON.stringify(run.inputs)).toBe(JSON.stringify(wire.getAfter.response_inputs));
    const search = await server.post(`${ML}/runs/search`, { experiment_ids: [exp] });
    expect(search.body.runs[0].inputs).toEqual(wire.getAfter.response_inputs);
    expect(recordedRunId).not.toBe(runId);
  });

  it('stores a dataset once per experiment (name and digest); each run keeps its own input tags', async () => {
    const other = await createExperiment(server, 'datasets-other');
    const a = await createRun(server, exp);
    const b = await createRun(server, exp);
    const c = await createRun(server, other);
    expect((await logInputs({ run_id: a, datasets: [input('train', 'd1', { 'mlflow.data.context': 'training' })] })).status).toBe(200);
    // Same name and digest, another source: the experiment's dataset keeps what it was first logged with.
    const again = input('train', 'd1', { 'mlflow.data.context': 'eval' }, { source: 'elsewhere' });
    expect((await logInputs({ run_id: b, datasets: [again, input('train', 'd2')] })).status).toBe(200);
    expect((await logInputs({ run_id: c, datasets: [again] })).status).toBe(200);

    const rows = await server.db.kysely.selectFrom('datasets').select(['experiment_id', 'name', 'digest', 'source']).orderBy('id').execute();
    expect(rows.map((r) => [String(r.experiment_id), r.name, r.digest, r.source])).toEqual([
      [exp, 'train', 'd1', '{"uri": "file:///data/train"}'],
      [exp, 'train', 'd2', '{"uri": "file:///data/train"}'],
      [other, 'train', 'd1', 'elsewhere'],
    ]);
    expect((await getRun(a)).inputs.dataset_inputs).toEqual([{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: input('train', 'd1').dataset }]);
    expect((await getRun(b)).inputs.dataset_inputs).toEqual([
      { tags: [{ key: 'mlflow.data.context', value: 'eval' }], dataset: input('train', 'd1').dataset },
      // An input without tags: MLflow omits the empty list.
      { dataset: input('train', 'd2').dataset },
    ]);
    expect((await getRun(c)).inputs.dataset_inputs).toEqual([{ tags: [{ key: 'mlflow.data.context', value: 'eval' }], dataset: again.dataset }]);
  });

  it('is idempotent: the same input logged again (or twice in one request) changes nothing', async () => {
    const runId = await createRun(server, exp);
    const body = {
      run_id: runId,
      datasets: [input('eval', 'e1', { split: 'holdout', 'mlflow.data.context': 'eval' }, { schema: '{"mlflow_colspec": []}', profile: '{"num_rows": 3}' })],
    };
    expect((await logInputs(body)).status).toBe(200);
    const first = (await getRun(runId)).inputs;
    expect(first.dataset_inputs[0].dataset).toMatchObject({ schema: '{"mlflow_colspec": []}', profile: '{"num_rows": 3}' });
    expect(first.dataset_inputs[0].tags).toEqual([
      { key: 'mlflow.data.context', value: 'eval' },
      { key: 'split', value: 'holdout' },
    ]);
    for (let i = 0; i < 2; i++) expect(await logInputs(body)).toEqual({ status: 200, body: {} });
    expect(await logInputs({ run_id: runId, datasets: [body.datasets[0], input('eval', 'e1', { other: 'tag' })] })).toEqual({ status: 200, body: {} });
    expect((await getRun(runId)).inputs).toEqual(first);
    expect([await count('datasets'), await count('run_inputs'), await count('run_input_tags')]).toEqual([1, 1, 2]);
    // A model input must name a logged model: an unknown one is a 404 and nothing of the request is written.
    const unknown = await logInputs({ run_id: runId, datasets: [input('other', 'o1')], models: [{ model_id: 'm-0123' }] });
    expect(unknown).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Logged model with ID 'm-0123' not found." } });
    expect(await logInputs({ run_id: runId })).toEqual({ status: 200, body: {} });
    expect((await getRun(runId)).inputs).toEqual(first);
  });

  it('stores a dataset once when runs log it at the same time', async () => {
    const runIds = await Promise.all(Array.from({ length: 6 }, () => createRun(server, exp)));
    const body = (runId: string) => ({ run_id: runId, datasets: [input('raced', 'r1', { 'mlflow.data.context': 'training' }), input('raced', 'r2')] });
    const answers = await Promise.all([...runIds, ...runIds].map((runId) => logInputs(body(runId))));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect([await count('datasets'), await count('run_inputs'), await count('run_input_tags')]).toEqual([2, 12, 6]);
  });

  it('answers a bad body with 400 INVALID_PARAMETER_VALUE naming the field, and refuses a deleted or unknown run', async () => {
    const runId = await createRun(server, exp);
    const ok = input('d', 'x');
    const long = (n: number) => 'a'.repeat(n);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ datasets: [ok] }, "'run_id'"],
      [{ run_id: runId, datasets: ok }, "'datasets'"],
      [{ run_id: runId, datasets: [{ tags: [] }] }, "'datasets[0].dataset'"],
      [{ run_id: runId, datasets: [ok, { dataset: { digest: 'x', source_type: 'local', source: 's' } }] }, "'datasets[1].dataset.name'"],
      [{ run_id: runId, datasets: [{ dataset: { ...ok.dataset, source: undefined } }] }, "'datasets[0].dataset.source'"],
      [{ run_id: runId, datasets: [{ dataset: { ...ok.dataset, digest: long(37) } }] }, "'datasets[0].dataset.digest': exceeds the maximum length of 36"],
      [{ run_id: runId, datasets: [{ dataset: { ...ok.dataset, name: long(501) } }] }, "'datasets[0].dataset.name': exceeds the maximum length of 500"],
      [{ run_id: runId, datasets: [{ dataset: { ...ok.dataset, schema: 5 } }] }, "'datasets[0].dataset.schema'"],
      [{ run_id: runId, datasets: [{ ...ok, tags: [{ key: 'k' }] }] }, "'datasets[0].tags[0].value'"],
      [{ run_id: runId, datasets: [{ ...ok, tags: [{ key: long(256), value: 'v' }] }] }, "'datasets[0].tags[0].key': exceeds the maximum length of 255"],
      [{ run_id: runId, datasets: [{ ...ok, tags: [{ key: 'k', value: long(501) }] }] }, "'datasets[0].tags[0].value': exceeds the maximum length of 500"],
      [{ run_id: runId, datasets: Array.from({ length: 1001 }, () => ok) }, "'datasets': a request can log at most 1000 datasets"],
      [{ run_id: runId, datasets: [{ ...ok, tags: Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }] }, 'at most 100 tags'],
    ];
    for (const [body, field] of cases) {
      const res = await logInputs(body);
      expect(res.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(res.body.message).toContain(field);
    }
    expect(await count('datasets')).toBe(0);

    expect(await logInputs({ run_id: '0123456789abcdef0123456789abcdef', datasets: [ok] })).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    await server.post(`${ML}/runs/delete`, { run_id: runId });
    const deleted = await logInputs({ run_id: runId, datasets: [ok] });
    expect(deleted).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(deleted.body.message).toContain("must be in the 'active' state");
    expect(await count('datasets')).toBe(0);
  });

  it('returns the datasets of many runs in one runs/search page, each run its own, {} for a run without', async () => {
    const runIds: string[] = [];
    for (let i = 0; i < 40; i++) runIds.push(await createRun(server, exp, { startTime: 1000 + i }));
    for (const [i, runId] of runIds.entries()) {
      if (i % 4 === 3) continue;
      const datasets = [input('shared', 'all', { 'mlflow.data.context': 'training' }), input(`own-${i}`, `d${i}`, { 'mlflow.data.context': 'eval', index: String(i) })];
      expect((await logInputs({ run_id: runId, datasets })).status).toBe(200);
    }
    const res = await server.post(`${ML}/runs/search`, { experiment_ids: [exp], max_results: 100 });
    expect(res.status).toBe(200);
    expect(res.body.runs).toHaveLength(40);
    for (const run of res.body.runs) {
      const i = runIds.indexOf(run.info.run_id);
      if (i % 4 === 3) {
        expect(run.inputs).toEqual({});
        continue;
      }
      expect(run.inputs.dataset_inputs).toEqual([
        { tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: input('shared', 'all').dataset },
        {
          tags: [
            { key: 'index', value: String(i) },
            { key: 'mlflow.data.context', value: 'eval' },
          ],
          dataset: input(`own-${i}`, `d${i}`).dataset,
        },
      ]);
    }
    expect(await count('datasets')).toBe(1 + 30);
    // A page of runs reads its datasets in one query, not one per run.
    const executor = server.db.kysely.getExecutor();
    const spy = vi.spyOn(executor, 'executeQuery');
    try {
      const page = await server.post(`${ML}/runs/search`, { experiment_ids: [exp], max_results: 100 });
      expect(page.body.runs).toHaveLength(40);
      const reads = spy.mock.calls.filter(([query]) => query.sql.includes('run_inputs'));
      expect(reads).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });
});
