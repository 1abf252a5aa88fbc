import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment } from '../../test-support/seed.js';

describe.each(backends())('MLflow runs API on %s', (backend) => {
  let server: TestServer;
  let experimentId: string;
  beforeEach(async () => {
    server = await testServer(backend);
    experimentId = await createExperiment(server, 'runs');
  });
  afterEach(async () => {
    await server.close();
  });

  async function newRun(body: Record<string, unknown> = {}) {
    const res = await server.post(`${ML}/runs/create`, { experiment_id: experimentId, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.run.info.run_id as string;
  }
  const getRun = async (runId: string) => (await server.get(`${ML}/runs/get?run_id=${runId}`)).body.run;

  it('creates a run as MLflow does: RUNNING, artifact uri, run name mirrored in mlflow.runName', async () => {
    const res = await server.post(`${ML}/runs/create`, {
      experiment_id: experimentId,
      user_id: 'ana',
      run_name: 'baseline',
      start_time: '1700000000000',
      tags: [{ key: 'team', value: 'cv' }],
    });
    expect(res.status).toBe(200);
    const { info, data } = res.body.run;
    expect(info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(info).toMatchObject({
      run_uuid: info.run_id,
      run_name: 'baseline',
      experiment_id: experimentId,
      user_id: 'ana',
      status: 'RUNNING',
      start_time: 1700000000000,
      lifecycle_stage: 'active',
      artifact_uri: `mlflow-artifacts:/${experimentId}/${info.run_id}/artifacts`,
    });
    expect(info.end_time).toBeUndefined();
    expect(data.tags).toEqual(expect.arrayContaining([{ key: 'mlflow.runName', value: 'baseline' }, { key: 'team', value: 'cv' }]));
  });

  it('defaults to experiment 0, names an unnamed run, and takes the name from the tag', async () => {
    const res = await server.post(`${ML}/runs/create`, {});
    expect(res.body.run.info.experiment_id).toBe('0');
    expect(res.body.run.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    const byTag = await newRun({ tags: [{ key: 'mlflow.runName', value: 'from-tag' }], user_id: '' });
    expect((await getRun(byTag)).info.run_name).toBe('from-tag');
    const clash = await server.post(`${ML}/runs/create`, { run_name: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] });
    expect(clash).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
  });

  it('answers 404 for an unknown run or experiment', async () => {
    for (const url of [`${ML}/runs/get?run_id=0123456789abcdef0123456789abcdef`, `${ML}/runs/get?run_id=../../etc`]) {
      expect(await server.get(url)).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    }
    const res = await server.post(`${ML}/runs/create`, { experiment_id: '424242' });
    expect(res).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    const missing = await server.get(`${ML}/runs/get`);
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('run_id');
  });

  it('updates status, end time and display name (kept in step with the tag)', async () => {
    const runId = await newRun({ run_name: 'before' });
    const res = await server.post(`${ML}/runs/update`, { run_uuid: runId, status: 'FINISHED', end_time: 1700000005000, run_name: 'after' });
    expect(res.status).toBe(200);
    expect(res.body.run_info).toMatchObject({ run_id: runId, status: 'FINISHED', end_time: 1700000005000, run_name: 'after' });
    const run = await getRun(runId);
    expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'after' });
    await server.post(`${ML}/runs/set-tag`, { run_id: runId, key: 'mlflow.runName', value: 'via-tag' });
    expect((await getRun(runId)).info.run_name).toBe('via-tag');
    const bad = await server.post(`${ML}/runs/update`, { run_id: runId, status: 'DONE' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('status');
  });

  it('deletes and restores a run; a deleted run refuses writes', async () => {
    const runId = await newRun();
    await server.post(`${ML}/runs/delete`, { run_id: runId });
    expect((await getRun(runId)).info.lifecycle_stage).toBe('deleted');
    const write = await server.post(`${ML}/runs/log-metric`, { run_id: runId, key: 'm', value: 1, timestamp: 1 });
    expect(write).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    await server.post(`${ML}/runs/restore`, { run_id: runId });
    expect((await getRun(runId)).info.lifecycle_stage).toBe('active');
  });

  it('logs metrics one by one with proto3 values and returns the history in step order', async () => {
    const runId = await newRun();
    const points = [
      { key: 'loss', value: 0.9, timestamp: 1000, step: 0 },
      { key: 'loss', value: '0.5', timestamp: '1001', step: '1' },
      { key: 'loss', value: 'NaN', timestamp: 1002, step: 2 },
      { key: 'loss', value: 'Infinity', timestamp: 1003, step: 3 },
      { key: 'loss', value: '-Infinity', timestamp: 1004, step: 4 },
    ];
    for (const p of points) {
      const res = await server.post(`${ML}/runs/log-metric`, { run_uuid: runId, ...p, ignored_field: true });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const history = await server.get(`${ML}/metrics/get-history?run_id=${runId}&metric_key=loss`);
    expect(history.body.metrics).toEqual([
      { key: 'loss', value: 0.9, timestamp: 1000, step: 0 },
      { key: 'loss', value: 0.5, timestamp: 1001, step: 1 },
      { key: 'loss', value: 'NaN', timestamp: 1002, step: 2 },
      { key: 'loss', value: 'Infinity', timestamp: 1003, step: 3 },
      { key: 'loss', value: '-Infinity', timestamp: 1004, step: 4 },
    ]);
    expect((await getRun(runId)).data.metrics).toEqual([{ key: 'loss', value: '-Infinity', timestamp: 1004, step: 4 }]);
    const paged = await server.get(`${ML}/metrics/get-history?run_id=${runId}&metric_key=loss&max_results=2`);
    expect(paged.body.metrics).toHaveLength(2);
    const rest = await server.get(`${ML}/metrics/get-history?run_id=${runId}&metric_key=loss&page_token=${paged.body.next_page_token}`);
    expect(rest.body.metrics.map((m: { step: number }) => m.step)).toEqual([2, 3, 4]);
  });

  it('keeps as latest value the highest step, whatever the order of logging', async () => {
    const runId = await newRun();
    await server.post(`${ML}/runs/log-batch`, { run_id: runId, metrics: [{ key: 'acc', value: 0.8, timestamp: 5, step: 10 }, { key: 'acc', value: 0.1, timestamp: 9, step: 2 }] });
    await server.post(`${ML}/runs/log-metric`, { run_id: runId, key: 'acc', value: 0.2, timestamp: 20, step: 3 });
    expect((await getRun(runId)).data.metrics).toEqual([{ key: 'acc', value: 0.8, timestamp: 5, step: 10 }]);
  });

  it('rejects a bad metric with a message naming the field', async () => {
    const runId = await newRun();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ key: 'm', value: 'high', timestamp: 1 }, 'value'],
      [{ key: 'm', value: 1 }, 'timestamp'],
      [{ key: 'm', value: 1, timestamp: 1.5 }, 'timestamp'],
      [{ key: 'm', value: 1, timestamp: 1, step: 'x' }, 'step'],
      [{ key: '../escape', value: 1, timestamp: 1 }, 'metric name'],
      [{ value: 1, timestamp: 1 }, 'key'],
    ];
    for (const [body, field] of cases) {
      const res = await server.post(`${ML}/runs/log-metric`, { run_id: runId, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(res.body.message).toContain(field);
    }
  });

  it('keeps params immutable: the same value again is fine, another value is 400', async () => {
    const runId = await newRun();
    expect((await server.post(`${ML}/runs/log-parameter`, { run_id: runId, key: 'lr', value: '0.01' })).status).toBe(200);
    expect((await server.post(`${ML}/runs/log-parameter`, { run_id: runId, key: 'lr', value: '0.01' })).status).toBe(200);
    const changed = await server.post(`${ML}/runs/log-parameter`, { run_id: runId, key: 'lr', value: '0.02' });
    expect(changed).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(changed.body.message).toContain("key='lr'");
    expect((await getRun(runId)).data.params).toEqual([{ key: 'lr', value: '0.01' }]);
  });

  it('sets, overwrites and deletes tags; a value-less tag is an empty string', async () => {
    const runId = await newRun();
    await server.post(`${ML}/runs/set-tag`, { run_id: runId, key: 'stage', value: 'a' });
    await server.post(`${ML}/runs/set-tag`, { run_id: runId, key: 'stage', value: 'b' });
    await server.post(`${ML}/runs/log-batch`, { run_id: runId, tags: [{ key: 'flag' }] });
    let tags = (await getRun(runId)).data.tags;
    expect(tags).toContainEqual({ key: 'stage', value: 'b' });
    expect(tags).toContainEqual({ key: 'flag', value: '' });
    expect((await server.post(`${ML}/runs/delete-tag`, { run_id: runId, key: 'stage' })).status).toBe(200);
    tags = (await getRun(runId)).data.tags;
    expect(tags.find((t: { key: string }) => t.key === 'stage')).toBeUndefined();
    const again = await server.post(`${ML}/runs/delete-tag`, { run_id: runId, key: 'stage' });
    expect(again).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
  });

  it('keeps the parent run in step with mlflow.parentRunId', async () => {
    const parent = await newRun({ run_name: 'parent' });
    const child = await newRun({ tags: [{ key: 'mlflow.parentRunId', value: parent }] });
    const later = await newRun();
    await server.post(`${ML}/runs/set-tag`, { run_id: later, key: 'mlflow.parentRunId', value: parent });
    const children = await server.get(`/api/studio/runs/${parent}/children`);
    expect(children.body.runs.map((r: { runId: string }) => r.runId).sort()).toEqual([child, later].sort());
    await server.post(`${ML}/runs/delete-tag`, { run_id: later, key: 'mlflow.parentRunId' });
    const after = await server.get(`/api/studio/runs/${parent}/children`);
    expect(after.body.runs.map((r: { runId: string }) => r.runId)).toEqual([child]);
    const self = await server.post(`${ML}/runs/set-tag`, { run_id: child, key: 'mlflow.parentRunId', value: child });
    expect(self.status).toBe(400);
  });

  describe('log-batch', () => {
    it('writes metrics, params and tags together', async () => {
      const runId = await newRun();
      const res = await server.post(`${ML}/runs/log-batch`, {
        run_id: runId,
        metrics: Array.from({ length: 100 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 1000 + step, step })),
        params: [{ key: 'lr', value: '0.1' }, { key: 'lr', value: '0.1' }],
        tags: [{ key: 'note', value: 'x' }],
      });
      expect(res.status).toBe(200);
      const history = await server.get(`${ML}/metrics/get-history?run_id=${runId}&metric_key=loss`);
      expect(history.body.metrics).toHaveLength(100);
      const run = await getRun(runId);
      expect(run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
      expect(run.data.metrics).toEqual([{ key: 'loss', value: 0.01, timestamp: 1099, step: 99 }]);
    });

    it("enforces MLflow's limits: 1000 metrics, 100 params, 100 tags, 1000 in all", async () => {
      const runId = await newRun();
      const metric = (i: number) => ({ key: `m${i}`, value: i, timestamp: 1, step: 0 });
      const kv = (i: number) => ({ key: `k${i}`, value: 'v' });
      const cases = [
        { metrics: Array.from({ length: 1001 }, (_, i) => metric(i)) },
        { params: Array.from({ length: 101 }, (_, i) => kv(i)) },
        { tags: Array.from({ length: 101 }, (_, i) => kv(i)) },
        { metrics: Array.from({ length: 950 }, (_, i) => metric(i)), params: Array.from({ length: 51 }, (_, i) => kv(i)) },
      ];
      for (const body of cases) {
        const res = await server.post(`${ML}/runs/log-batch`, { run_id: runId, ...body });
        expect(res).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
        expect(res.body.message).toContain('at most');
      }
      const full = await server.post(`${ML}/runs/log-batch`, { run_id: runId, metrics: Array.from({ length: 1000 }, (_, i) => metric(i)) });
      expect(full.status).toBe(200);
    });

    it('writes nothing when any part of the batch fails', async () => {
      const runId = await newRun();
      await server.post(`${ML}/runs/log-parameter`, { run_id: runId, key: 'lr', value: '0.01' });
      const bad = await server.post(`${ML}/runs/log-batch`, {
        run_id: runId,
        metrics: [{ key: 'loss', value: 1, timestamp: 1, step: 0 }],
        params: [{ key: 'batch', value: '32' }, { key: 'lr', value: '0.5' }],
        tags: [{ key: 'written', value: 'no' }],
      });
      expect(bad.status).toBe(400);
      const run = await getRun(runId);
      expect(run.data.metrics).toEqual([]);
      expect(run.data.params).toEqual([{ key: 'lr', value: '0.01' }]);
      expect(run.data.tags.find((t: { key: string }) => t.key === 'written')).toBeUndefined();
      const history = await server.get(`${ML}/metrics/get-history?run_id=${runId}&metric_key=loss`);
      expect(history.body.metrics).toEqual([]);

      const invalid = await server.post(`${ML}/runs/log-batch`, {
        run_id: runId,
        metrics: [{ key: 'loss', value: 1, timestamp: 1, step: 0 }, { key: 'loss', value: 'x', timestamp: 1, step: 1 }],
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.message).toContain('metrics[1].value');
      expect((await getRun(runId)).data.metrics).toEqual([]);
    });

    it('refuses two values for one param key in one batch', async () => {
      const runId = await newRun();
      const res = await server.post(`${ML}/runs/log-batch`, { run_id: runId, params: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('Duplicate parameter keys');
    });

    it('stores a point logged twice once', async () => {
      const runId = await newRun();
      const point = { key: 'm', value: 1, timestamp: 5, step: 1 };
      await server.post(`${ML}/runs/log-batch`, { run_id: runId, metrics: [point, point] });
      await server.post(`${ML}/runs/log-metric`, { run_id: runId, ...point });
      const history = await server.get(`${ML}/metrics/get-history?run_id=${runId}&metric_key=m`);
      expect(history.body.metrics).toHaveLength(1);
    });
  });

  it('answers unknown endpoints and malformed JSON with JSON errors', async () => {
    const unknown = await server.get(`${ML}/runs/nope`);
    expect(unknown).toMatchObject({ status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND' } });
    const response = await server.app.inject({ method: 'POST', url: `${ML}/runs/create`, payload: '{"experiment_id":', headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error_code: 'MALFORMED_REQUEST' });
    // MLflow since its PR 10526: a JSON body must be declared JSON (no cross-site text/plain).
    const plain = await server.app.inject({ method: 'POST', url: `${ML}/runs/create`, payload: '{"run_name":"plain"}', headers: { 'content-type': 'text/plain' } });
    expect(plain.statusCode).toBe(415);
    expect(plain.json()).toMatchObject({ error_code: 'UNSUPPORTED_MEDIA_TYPE' });
    const search = await server.post(`${ML}/runs/search`, { experiment_ids: ['0'], filter: "attributes.run_name = 'plain'" });
    expect(search.body.runs ?? []).toEqual([]);
  });
});
