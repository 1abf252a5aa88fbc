import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../test-support/backends.js';

const postEndpoints = [
  'experiments/create', 'experiments/search', 'experiments/update', 'experiments/delete', 'experiments/restore',
  'experiments/set-experiment-tag', 'runs/create', 'runs/update', 'runs/delete', 'runs/restore', 'runs/search',
  'runs/log-metric', 'runs/log-parameter', 'runs/set-tag', 'runs/delete-tag', 'runs/log-batch',
].map((p) => `${ML}/${p}`);
const getEndpoints = ['experiments/get', 'experiments/get-by-name', 'experiments/search', 'runs/get', 'metrics/get-history'].map((p) => `${ML}/${p}`);

describe.each(backends())('malformed input on %s', (backend) => {
  let server: TestServer;
  let runId: string;
  beforeAll(async () => {
    server = await testServer(backend);
    runId = (await server.post(`${ML}/runs/create`, {})).body.run.info.run_id;
  });
  afterAll(async () => {
    await server.close();
  });

  // Values shaped like what the endpoints take, often of the wrong type or out of range.
  const field = fc.oneof(
    fc.constant(undefined), fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.constantFrom('NaN', 'Infinity', '0', '-1', '9007199254740993', "metrics.x < 'a'", 'FINISHED', '../..', ''),
    fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.record({ key: fc.string({ maxLength: 4 }), value: fc.anything() })), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.anything(), { maxKeys: 2 }),
  );
  const body = fc.record(
    {
      name: field, experiment_id: field, experiment_ids: field, new_name: field, key: field, value: field, timestamp: field,
      step: field, run_id: fc.oneof(field, fc.constant('RUN')), run_uuid: field, metrics: field, params: field, tags: field,
      filter: field, order_by: field, max_results: field, page_token: field, status: field, end_time: field, start_time: field,
      view_type: field, run_view_type: field, run_name: field, user_id: field,
    },
    { requiredKeys: [] },
  );

  it('answers every random body with a 2xx or a 4xx carrying an error code, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...postEndpoints), body, async (url, payload) => {
        const withRun = JSON.parse(JSON.stringify(payload, (k, v) => (k === 'run_id' && v === 'RUN' ? runId : v)) ?? '{}');
        const res = await server.post(url, withRun);
        expect(res.status, `${url} ${JSON.stringify(withRun)} -> ${JSON.stringify(res.body)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.body.error_code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 600 },
    );
  });

  it('answers random query strings with a 4xx, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...getEndpoints), fc.dictionary(fc.constantFrom('experiment_id', 'experiment_name', 'run_id', 'metric_key', 'max_results', 'page_token', 'filter', 'view_type'), fc.string({ maxLength: 10 })), async (url, query) => {
        const res = await server.get(`${url}?${new URLSearchParams(query).toString()}`);
        expect(res.status, `${url} ${JSON.stringify(query)}`).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  it('answers non-JSON and non-object bodies with 400', async () => {
    for (const payload of ['[1,2]', '"text"', 'null', '{"a":', '\u0000']) {
      const res = await server.app.inject({ method: 'POST', url: `${ML}/runs/log-batch`, payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, payload).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, payload).toBeLessThan(500);
    }
  });
});
