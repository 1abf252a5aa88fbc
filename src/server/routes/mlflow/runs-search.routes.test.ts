import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment, createRun } from '../../test-support/seed.js';

describe.each(backends())('MLflow runs/search on %s', (backend) => {
  let server: TestServer;
  let exp: string;
  let other: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await testServer(backend);
    exp = await createExperiment(server, 'search');
    other = await createExperiment(server, 'other');
    ids.a = await createRun(server, exp, { name: 'run-a', startTime: 1000, metrics: { loss: 0.5, acc: 0.7 }, params: { lr: '0.01', opt: 'adam' }, tags: { quality: 'great result', 'my tag': 'x' } });
    ids.b = await createRun(server, exp, { name: 'run-b', startTime: 2000, metrics: { loss: 0.2 }, params: { lr: '0.1', opt: 'SGD' }, tags: { quality: 'poor' } });
    ids.c = await createRun(server, exp, { name: 'Run-C', startTime: 3000, metrics: { loss: 0.9, acc: 0.1 }, params: { lr: '0.01' } });
    ids.d = await createRun(server, other, { name: 'run-d', startTime: 4000, metrics: { loss: 0.2 }, params: { lr: '0.5' } });
    await server.post(`${ML}/runs/update`, { run_id: ids.b, status: 'FINISHED', end_time: 2500 });
    await server.post(`${ML}/runs/update`, { run_id: ids.c, status: 'FAILED', end_time: 3500 });
  });
  afterAll(async () => {
    await server.close();
  });

  async function search(body: Record<string, unknown>) {
    const res = await server.post(`${ML}/runs/search`, { experiment_ids: [exp, other], ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.runs ?? []).map((r: { info: { run_id: string } }) => Object.entries(ids).find(([, id]) => id === r.info.run_id)?.[0]);
  }

  it.each([
    ['metrics.loss < 0.5', ['b', 'd']],
    ['metrics.loss <= 0.5', ['a', 'b', 'd']],
    ['metrics.loss > 0.5', ['c']],
    ['metrics.loss >= 0.9', ['c']],
    ['metrics.loss = 0.2', ['b', 'd']],
    ['metrics.loss != 0.2', ['a', 'c']],
    ['metric.acc > 0', ['a', 'c']],
    ["params.lr = '0.01'", ['a', 'c']],
    ['params.lr = "0.01"', ['a', 'c']],
    ["params.lr != '0.01'", ['b', 'd']],
    ["param.opt LIKE 'ad%'", ['a']],
    ["params.opt LIKE 'sg%'", []],
    ["params.opt ILIKE 'sg%'", ['b']],
    ["params.lr IN ('0.1', '0.5')", ['b', 'd']],
    ["params.lr NOT IN ('0.1', '0.5')", ['a', 'c']],
    ["tags.quality LIKE '%great%'", ['a']],
    ["tags.quality ILIKE '%POOR%'", ['b']],
    ["tags.`my tag` = 'x'", ['a']],
    ['tags."my tag" = \'x\'', ['a']],
    ['tags.quality IS NULL', ['c', 'd']],
    ["attributes.status = 'RUNNING'", ['a', 'd']],
    ["status != 'RUNNING'", ['b', 'c']],
    ["attributes.status IN ('FINISHED', 'FAILED')", ['b', 'c']],
    ["attributes.run_name = 'run-a'", ['a']],
    ["run_name ILIKE 'run-c'", ['c']],
    ["attributes.run_name LIKE 'run-%'", ['a', 'b', 'd']],
    ['attributes.start_time > 2000', ['c', 'd']],
    ['attributes.created <= 2000', ['a', 'b']],
    ['attributes.end_time < 3000', ['b']],
    ["metrics.loss < 0.6 and params.lr = '0.01' and attributes.status = 'RUNNING'", ['a']],
    ["metrics.loss < 0.6 AND tags.quality LIKE '%great%'", ['a']],
  ])('filter %s', async (filter, expected) => {
    const found = await search({ filter, order_by: ['attributes.start_time ASC'] });
    expect(found).toEqual(expected);
  });

  it('filters by run id, alone or in a list', async () => {
    expect(await search({ filter: `attributes.run_id = '${ids.b}'` })).toEqual(['b']);
    expect(await search({ filter: `attributes.run_id IN ('${ids.a}', '${ids.d}')`, order_by: ['start_time'] })).toEqual(['a', 'd']);
  });

  it('orders by attributes, metrics, params and tags; missing values come last', async () => {
    expect(await search({})).toEqual(['d', 'c', 'b', 'a']);
    expect(await search({ order_by: ['metrics.acc DESC'] })).toEqual(['a', 'c', 'd', 'b']);
    expect(await search({ order_by: ['metrics.acc ASC'] })).toEqual(['c', 'a', 'd', 'b']);
    expect(await search({ order_by: ['metrics.loss ASC', 'attributes.start_time ASC'] })).toEqual(['b', 'd', 'a', 'c']);
    expect(await search({ order_by: ['params.lr DESC'] })).toEqual(['d', 'b', 'c', 'a']);
    expect(await search({ order_by: ['tags.quality ASC'] })).toEqual(['a', 'b', 'd', 'c']);
    expect(await search({ order_by: ['attributes.run_name ASC'] })).toEqual(['c', 'a', 'b', 'd']);
    expect(await search({ order_by: ['attributes.end_time DESC'] })).toEqual(['c', 'b', 'd', 'a']);
  });

  it('scopes to experiments and view type', async () => {
    expect(await search({ experiment_ids: [other] })).toEqual(['d']);
    expect(await search({ experiment_ids: [] })).toEqual([]);
    const temp = await createRun(server, other, { name: 'gone', startTime: 5000 });
    ids.gone = temp;
    await server.post(`${ML}/runs/delete`, { run_id: temp });
    expect(await search({ experiment_ids: [other] })).toEqual(['d']);
    expect(await search({ experiment_ids: [other], run_view_type: 'DELETED_ONLY' })).toEqual(['gone']);
    expect(await search({ experiment_ids: [other], run_view_type: 'ALL' })).toEqual(['gone', 'd']);
  });

  it.each([
    'metrics.loss <',
    'metrics.loss < abc',
    "metrics.loss < '0.5'",
    'params.lr = 0.01',
    "params.lr = 'unterminated",
    "tags.x = 'a' or tags.y = 'b'",
    "foo.bar = 'x'",
    "attributes.nope = 'x'",
    "attributes.start_time = 'yesterday'",
    'attributes.start_time > 1.5',
    "metrics.loss LIKE '%1%'",
    "params.lr > '1'",
    "params.lr IN '0.1'",
    "params.lr IN ()",
    "status = 'RUNNING' and",
    "datasets.size = 'x'",
    '((',
    "params.lr ! '1'",
    'metrics. < 1',
    '1 = 1',
    "status = 'RUNNING' status = 'FAILED'",
  ])('rejects the bad filter %s with 400 naming the problem', async (filter) => {
    const res = await server.post(`${ML}/runs/search`, { experiment_ids: [exp], filter });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(res.body.message).toContain('Invalid filter');
  });

  it.each([
    [{ order_by: ['metrics.loss SIDEWAYS'] }, 'order_by'],
    [{ order_by: ['attributes.nope'] }, 'order_by'],
    [{ max_results: 50001 }, 'max_results'],
    [{ max_results: -1 }, 'max_results'],
    [{ page_token: 'not-a-token' }, 'page token'],
    [{ run_view_type: 'SOME' }, 'run_view_type'],
    [{ experiment_ids: 'x', filter: 7 }, 'filter'],
  ])('rejects %j with 400', async (body, field) => {
    const res = await server.post(`${ML}/runs/search`, { experiment_ids: [exp], ...body });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(res.body.message).toContain(field);
  });

  it('refuses a page token from another order', async () => {
    const first = await server.post(`${ML}/runs/search`, { experiment_ids: [exp], max_results: 1 });
    const token = first.body.next_page_token;
    expect(token).toBeTruthy();
    const res = await server.post(`${ML}/runs/search`, { experiment_ids: [exp], max_results: 1, page_token: token, order_by: ['metrics.loss'] });
    expect(res.status).toBe(400);
  });
});

describe.each(backends())('paging through 2,500 runs on %s', (backend) => {
  let server: TestServer;
  let exp: string;
  const all = new Set<string>();
  const score = new Map<string, number>();

  beforeAll(async () => {
    server = await testServer(backend);
    exp = await createExperiment(server, 'many');
    const root = await server.post(`${ML}/runs/create`, { experiment_id: exp, start_time: 0 });
    const rootId = root.body.run.info.run_id as string;
    all.add(rootId);
    for (const count of [1000, 1000, 499]) {
      const res = await server.post(`/api/studio/runs/${rootId}/children`, { count });
      expect(res.status).toBe(201);
      for (const run of res.body.runs) all.add(run.runId);
    }
    // Every third run gets a metric with many ties; the rest have none.
    const runIds = [...all];
    for (let i = 0; i < runIds.length; i += 3) {
      await server.post(`${ML}/runs/log-metric`, { run_id: runIds[i], key: 'score', value: i % 7, timestamp: 1 });
      score.set(runIds[i]!, i % 7);
    }
  }, 300_000);
  afterAll(async () => {
    await server.close();
  });

  it.each([[[]], [['metrics.score DESC']], [['metrics.score ASC', 'attributes.run_name DESC']], [['attributes.start_time ASC']]])(
    'visits every run exactly once, order %j',
    async (orderBy) => {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const res = await server.post(`${ML}/runs/search`, { experiment_ids: [exp], max_results: 333, order_by: orderBy, ...(token ? { page_token: token } : {}) });
        expect(res.status).toBe(200);
        seen.push(...res.body.runs.map((r: { info: { run_id: string } }) => r.info.run_id));
        token = res.body.next_page_token;
        pages += 1;
      } while (token);
      expect(pages).toBe(Math.ceil(2500 / 333));
      expect(seen).toHaveLength(2500);
      expect(new Set(seen)).toEqual(all);
      if (orderBy[0]?.startsWith('metrics.score')) {
        // Runs with a score first, in order; runs without one after them.
        const scores = seen.map((id) => score.get(id) ?? null);
        const scored = scores.slice(0, score.size);
        expect(scored.every((s) => s !== null)).toBe(true);
        expect(scores.slice(score.size).every((s) => s === null)).toBe(true);
        const sorted = [...scored].sort((a, b) => (orderBy[0] === 'metrics.score DESC' ? b! - a! : a! - b!));
        expect(scored).toEqual(sorted);
      }
    },
  );
});
