import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment, createRun } from '../../test-support/seed.js';

interface Child {
  runId: string;
  runName: string;
  startTime: number;
  parentRunId: string;
  depth: number;
  childCount: number;
}

/** Newest first, then run id byte-wise: the order siblings are listed in. */
const siblingOrder = (a: Child, b: Child) => b.startTime - a.startTime || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0);

describe.each(backends())('GET /api/studio/runs/:id/children on %s', (backend) => {
  let server: TestServer;
  let clock = 1_000;
  let experiment: string;

  beforeAll(async () => {
    server = await testServer(backend, () => clock);
    experiment = await createExperiment(server, 'children');
  });
  afterAll(async () => {
    await server.close();
  });

  async function page(runId: string, query: string) {
    const res = await server.get(`/api/studio/runs/${runId}/children?${query}`);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    return res.body as { runs: Child[]; nextPageToken: string | null };
  }

  /** Every page in turn; fails if a listing does not end. */
  async function everyPage(runId: string, query: string): Promise<Child[]> {
    const all: Child[] = [];
    let token: string | null = null;
    for (let pages = 0; pages < 10_000; pages += 1) {
      const body = await page(runId, `${query}${token ? `&pageToken=${token}` : ''}`);
      all.push(...body.runs);
      token = body.nextPageToken;
      if (!token) return all;
    }
    throw new Error('the listing did not end');
  }

  async function createChildren(parentId: string, count: number): Promise<Child[]> {
    const res = await server.post(`/api/studio/runs/${parentId}/children`, { count });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    return res.body.runs as Child[];
  }

  it('pages through 2,500 direct children: each exactly once, newest first', async () => {
    const parent = await createRun(server, experiment, { name: 'wide' });
    const children: Child[] = [];
    for (const count of [1000, 1000, 500]) {
      clock += 1000;
      children.push(...(await createChildren(parent, count)));
    }
    await createChildren(children[0]!.runId, 2);
    const expected = [...children].sort(siblingOrder).map((c) => c.runId);

    const flat = await everyPage(parent, 'pageSize=300');
    expect(flat.map((c) => c.runId)).toEqual(expected);
    expect(flat.every((c) => c.depth === 1 && c.parentRunId === parent)).toBe(true);
    expect(flat.find((c) => c.runId === children[0]!.runId)?.childCount).toBe(2);

    const first = await page(parent, '');
    expect(first.runs).toHaveLength(100);
    const tree = await everyPage(parent, 'recursive=true&pageSize=1000');
    expect(tree).toHaveLength(2502);
    const at = tree.findIndex((c) => c.runId === children[0]!.runId);
    expect(tree.slice(at + 1, at + 3).map((c) => c.depth)).toEqual([2, 2]);
  });

  it('lists the tree in pre-order, siblings newest first, the same across page sizes', async () => {
    const root = await createRun(server, experiment, { name: 'root' });
    const model: Array<{ runId: string; startTime: number; parent: string }> = [];
    const add = async (name: string, startTime: number, parent: string) => {
      const runId = await createRun(server, experiment, { name, startTime, tags: { 'mlflow.parentRunId': parent } });
      model.push({ runId, startTime, parent });
      return runId;
    };
    // Equal start times at every level, a negative and a very large one.
    const a = await add('a', 100, root);
    const b = await add('b', 100, root);
    await add('c', 100, root);
    await add('d', Number.MAX_SAFE_INTEGER, root);
    await add('e', -5, root);
    const a1 = await add('a1', 50, a);
    await add('a2', 50, a);
    await add('a3', 50, a);
    await add('a1x', 1, a1);
    await add('a1y', 1, a1);
    await add('b1', -1, b);
    await add('b2', 7, b);
    const gone = await add('gone', 60, b);
    await add('under-gone', 1, gone);
    await server.post(`${ML}/runs/delete`, { run_id: gone });

    const expected: Array<[string, number]> = [];
    const visit = (parent: string, depth: number) => {
      const kids = model.filter((m) => m.parent === parent && m.runId !== gone);
      kids.sort((x, y) => y.startTime - x.startTime || (x.runId < y.runId ? -1 : 1));
      for (const kid of kids) {
        expected.push([kid.runId, depth]);
        visit(kid.runId, depth + 1);
      }
    };
    visit(root, 1);
    expect(expected).toHaveLength(12);

    for (const size of [1, 2, 7, 1000]) {
      const tree = await everyPage(root, `recursive=true&pageSize=${size}`);
      expect(tree.map((c) => [c.runId, c.depth]), `pageSize ${size}`).toEqual(expected);
    }
    const direct = await everyPage(root, 'pageSize=2');
    expect(direct.map((c) => c.runId)).toEqual(expected.filter(([, depth]) => depth === 1).map(([id]) => id));
  });

  it('ends on a cycle of parent tags', async () => {
    const x = await createRun(server, experiment, { name: 'x' });
    const y = await createRun(server, experiment, { name: 'y', tags: { 'mlflow.parentRunId': x } });
    const z = await createRun(server, experiment, { name: 'z', tags: { 'mlflow.parentRunId': y } });
    await server.post(`${ML}/runs/set-tag`, { run_id: x, key: 'mlflow.parentRunId', value: z });
    for (const size of [1, 100]) {
      expect((await everyPage(x, `recursive=true&pageSize=${size}`)).map((c) => c.runName)).toEqual(['y', 'z']);
      expect((await everyPage(y, `recursive=true&pageSize=${size}`)).map((c) => c.runName)).toEqual(['z', 'x']);
    }
    expect((await everyPage(x, 'pageSize=1')).map((c) => c.runName)).toEqual(['y']);
  });

  it('answers a bad page size or page token with a 400 that names it', async () => {
    const parent = await createRun(server, experiment, { name: 'tokens' });
    clock += 1000;
    await createChildren(parent, 3);
    const flatToken = (await page(parent, 'pageSize=1')).nextPageToken!;
    const treeToken = (await page(parent, 'recursive=true&pageSize=1')).nextPageToken!;
    const other = await createRun(server, experiment, { name: 'other' });
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const query of [
      'pageToken=garbage!',
      `pageToken=${forged({ p: parent, r: 0, k: [['soon', 'x']] })}`,
      `pageToken=${forged({ p: parent, r: 0, k: [] })}`,
      `pageToken=${forged({ p: parent, r: 0, k: [[1, 'a'], [2, 'b']] })}`,
      `pageToken=${forged([1, 2])}`,
      `pageToken=${treeToken}`,
      `recursive=true&pageToken=${flatToken}`,
    ]) {
      const res = await server.get(`/api/studio/runs/${parent}/children?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
      expect(res.body.message).toContain('pageToken');
    }
    expect((await server.get(`/api/studio/runs/${other}/children?pageToken=${flatToken}`)).status).toBe(400);
    for (const size of ['0', '1001', 'ten', '2.5']) {
      const res = await server.get(`/api/studio/runs/${parent}/children?pageSize=${size}`);
      expect(res.status, size).toBe(400);
      expect(res.body.message).toContain('pageSize');
    }
  });

  it('serves a 40,000-child parent, flat and recursive, 1,000 per page', async () => {
    const parent = await createRun(server, experiment, { name: 'huge' });
    for (let i = 0; i < 40; i += 1) {
      clock += 1000;
      await createChildren(parent, 1000);
    }
    for (const query of ['pageSize=1000', 'recursive=true&pageSize=1000']) {
      const first = await page(parent, query);
      expect(first.runs).toHaveLength(1000);
      expect(first.runs[0]!.startTime).toBe(clock);
      const second = await page(parent, `${query}&pageToken=${first.nextPageToken}`);
      expect(second.runs).toHaveLength(1000);
      expect(second.runs[0]!.runId).not.toBe(first.runs[999]!.runId);
    }
    const listed = await server.post('/api/studio/runs/search', { q: 'huge', experimentIds: [experiment] });
    expect(listed.body.runs[0].childCount).toBe(40_000);
  });
});
