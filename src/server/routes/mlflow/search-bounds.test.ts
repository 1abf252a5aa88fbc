import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment, createRun } from '../../test-support/seed.js';

/** Every bound of a search is a 400 that names it, never a 500, and echoes little of the input. */
describe.each(backends())('search bounds on %s', (backend) => {
  let server: TestServer;
  let exp: string;
  beforeAll(async () => {
    server = await testServer(backend);
    exp = await createExperiment(server, 'bounds');
    await createRun(server, exp, { name: 'a', metrics: { loss: 0.5 }, params: { lr: '0.01' }, tags: { team: 'cv' } });
  });
  afterAll(async () => {
    await server.close();
  });

  const search = (body: Record<string, unknown>) => server.post(`${ML}/runs/search`, { experiment_ids: [exp], ...body });

  it('takes a filter of 10,000 characters and 200 clauses, and refuses one more of either', async () => {
    const clauses = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? `metrics.loss < ${i + 1}` : i % 3 === 1 ? "params.lr = '0.01'" : "tags.team LIKE '%c%'"));
    const atLimit = await search({ filter: clauses.join(' and ') });
    expect(atLimit.status, JSON.stringify(atLimit.body)).toBe(200);
    expect(atLimit.body.runs).toHaveLength(1);

    const tooMany = await search({ filter: [...clauses, 'metrics.loss > 0'].join(' and ') });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(tooMany.body.message).toContain('more than 200 clauses');

    const padded = `params.lr = '${'x'.repeat(9_980)}'`;
    expect(padded.length).toBeLessThanOrEqual(10_000);
    expect((await search({ filter: padded })).status).toBe(200);
    const huge = await search({ filter: `params.lr = '${'x'.repeat(15_000_000)}'` });
    expect(huge.status).toBe(400);
    expect(huge.body.message).toContain('the limit is 10,000');
    // The error quotes at most 200 characters of what was sent.
    expect(huge.body.message.length).toBeLessThan(500);
  });

  it('refuses more than 10 order_by keys and more than 1,000 experiment ids', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `metrics.m${i} DESC`);
    expect((await search({ order_by: keys })).status).toBe(200);
    const tooMany = await search({ order_by: [...keys, 'params.lr'] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toContain("'order_by': 11 keys; the limit is 10");
    const longKey = await search({ order_by: [`metrics.${'k'.repeat(5_000)}`] });
    expect(longKey.status).toBe(400);

    const ids = Array.from({ length: 1000 }, (_, i) => String(i));
    expect((await server.post(`${ML}/runs/search`, { experiment_ids: ids })).status).toBe(200);
    const tooManyIds = await server.post(`${ML}/runs/search`, { experiment_ids: Array.from({ length: 40_000 }, (_, i) => String(i)) });
    expect(tooManyIds.status).toBe(400);
    expect(tooManyIds.body.message).toContain("'experiment_ids': 40,000 experiment ids; the limit is 1,000");
  });

  it('answers an experiment id that is not one with a 400 naming it, not an empty search', async () => {
    for (const ids of ['zero', ['0', 'zero']]) {
      const res = await server.post(`${ML}/runs/search`, { experiment_ids: ids });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
      expect(res.body.message).toContain("'experiment_ids': 'zero' is not an experiment id");
    }
    expect((await server.post(`${ML}/runs/search`, { experiment_ids: exp })).body.runs).toHaveLength(1);
  });

  it('bounds the studio search and the key lists the same way', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => String(i));
    const studio = await server.post('/api/studio/runs/search', { experimentIds: ids });
    expect(studio.status).toBe(400);
    expect(studio.body.message).toContain('the limit is 1,000');
    const orderBy = await server.post('/api/studio/runs/search', { orderBy: Array.from({ length: 11 }, () => 'metrics.loss') });
    expect(orderBy.status).toBe(400);
    expect(orderBy.body.message).toContain('the limit is 10');
    const keys = await server.get(`/api/studio/keys?experimentIds=${ids.join(',')}`);
    expect(keys.status).toBe(400);
    expect(keys.body.message).toContain('the limit is 1,000');
  });

  it('bounds the experiments search filter too, and 200 tag clauses still answer', async () => {
    const ok = await server.post(`${ML}/experiments/search`, { filter: Array.from({ length: 200 }, (_, i) => `tags.t${i} IS NULL`).join(' and ') });
    expect(ok.status).toBe(200);
    const res = await server.post(`${ML}/experiments/search`, { filter: Array.from({ length: 201 }, () => "name = 'x'").join(' and ') });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('more than 200 clauses');
  });
});
