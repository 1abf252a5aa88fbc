import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { createExperiment, createRun } from '../../test-support/seed.js';

describe.each(backends())('studio run API on %s', (backend) => {
  let server: TestServer;
  let vision: string;
  let nlp: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await testServer(backend);
    vision = await createExperiment(server, 'vision-sweep');
    nlp = await createExperiment(server, 'nlp');
    ids.a = await createRun(server, vision, {
      name: 'resnet baseline',
      startTime: 1000,
      metrics: { loss: 0.4 },
      tags: { 'mlflow.note.content': '## Goal\nCheck the **augmentation** pipeline', team: 'perception', 'mlflow.user': 'ana' },
    });
    ids.b = await createRun(server, vision, { name: 'vit large', startTime: 2000, metrics: { loss: 0.3 }, tags: { 'runstudio.compute': 'gpu-cluster' } });
    ids.c = await createRun(server, nlp, { name: 'bert tiny', startTime: 3000, metrics: { loss: 0.9 }, params: { lr: '0.01' } });
    await server.post(`${ML}/runs/update`, { run_id: ids.c, status: 'FAILED' });
  });
  afterAll(async () => {
    await server.close();
  });

  async function search(body: Record<string, unknown>) {
    const res = await server.post('/api/studio/runs/search', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { names: res.body.runs.map((r: { runName: string }) => r.runName), body: res.body };
  }

  it.each([
    ['augmentation', ['resnet baseline']],
    ['AUGMENT', ['resnet baseline']],
    ['vision', ['vit large', 'resnet baseline']],
    ['perception', ['resnet baseline']],
    ['failed', ['bert tiny']],
    ['Running', ['vit large', 'resnet baseline']],
    ['gpu-cluster', ['vit large']],
    ['bert', ['bert tiny']],
    ['vit sweep', ['vit large']],
    ['nothing-like-this', []],
    ['   ', ['bert tiny', 'vit large', 'resnet baseline']],
  ])('full-text q=%j', async (q, expected) => {
    const { names, body } = await search({ q });
    expect(names).toEqual(expected);
    expect(body.total).toBe(expected.length);
  });

  it('finds a run again after its description changes', async () => {
    await server.post(`${ML}/runs/set-tag`, { run_id: ids.b, key: 'mlflow.note.content', value: 'Distillation from teacher' });
    expect((await search({ q: 'distillation' })).names).toEqual(['vit large']);
    await server.post(`${ML}/runs/delete-tag`, { run_id: ids.b, key: 'mlflow.note.content' });
    expect((await search({ q: 'distillation' })).names).toEqual([]);
  });

  it('finds runs by their new experiment name after a rename', async () => {
    const exp = await createExperiment(server, 'before-rename');
    await createRun(server, exp, { name: 'renamed-exp-run' });
    await server.post(`${ML}/experiments/update`, { experiment_id: exp, new_name: 'zeppelin' });
    expect((await search({ q: 'zeppelin' })).names).toEqual(['renamed-exp-run']);
  });

  it('combines q, an MLflow filter, experiments and order, and returns studio-shaped runs', async () => {
    const { body } = await search({ q: 'vision', filter: 'metrics.loss < 0.35', experimentIds: [vision], orderBy: ['metrics.loss ASC'] });
    expect(body.total).toBe(1);
    expect(body.runs[0]).toMatchObject({
      runId: ids.b,
      runName: 'vit large',
      experimentId: vision,
      experimentName: 'vision-sweep',
      status: 'RUNNING',
      parentRunId: null,
      childCount: 0,
      metrics: { loss: { value: 0.3, step: 0, timestamp: 1 } },
      tags: { 'runstudio.compute': 'gpu-cluster' },
    });
    const bad = await server.post('/api/studio/runs/search', { filter: 'metrics.loss <' });
    expect(bad).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    const badSize = await server.post('/api/studio/runs/search', { pageSize: 5000 });
    expect(badSize.status).toBe(400);
    expect(badSize.body.message).toContain('pageSize');
  });

  it('returns just the runs asked for by id, in any experiment, and bounds the list', async () => {
    const { names } = await search({ parentRunId: '*', runIds: [ids.a, ids.c, 'f'.repeat(32)] });
    expect(names).toEqual(['bert tiny', 'resnet baseline']);
    const tooMany = await server.post('/api/studio/runs/search', { parentRunId: '*', runIds: Array.from({ length: 1001 }, () => ids.a) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/runIds/);
    expect(tooMany.body.message).toMatch(/1000/);
  });

  it('creates children in one request, counts them, and lists the tree recursively', async () => {
    const parent = await createRun(server, nlp, { name: 'sweep' });
    const byCount = await server.post(`/api/studio/runs/${parent}/children`, { count: 3 });
    expect(byCount.status).toBe(201);
    expect(byCount.body.runs.map((r: { runName: string }) => r.runName)).toEqual(['sweep-1', 'sweep-2', 'sweep-3']);
    expect(byCount.body.runs.every((r: { status: string; parentRunId: string }) => r.status === 'SCHEDULED' && r.parentRunId === parent)).toBe(true);

    const child = byCount.body.runs[0].runId as string;
    const byTag = await server.post(`/api/studio/runs/${child}/children`, { tagKey: 'seed', tagValues: ['1', '2'] });
    expect(byTag.body.runs.map((r: { tags: Record<string, string> }) => r.tags.seed)).toEqual(['1', '2']);
    const grandchild = byTag.body.runs[0].runId as string;
    await server.post(`/api/studio/runs/${grandchild}/children`, { count: 1 });

    const direct = await server.get(`/api/studio/runs/${parent}/children`);
    expect(direct.body.runs).toHaveLength(3);
    const tree = await server.get(`/api/studio/runs/${parent}/children?recursive=true`);
    // Pre-order: each run is followed by its own subtree.
    const names = tree.body.runs.map((r: { runName: string; depth: number }) => `${r.depth}:${r.runName}`);
    const at = names.indexOf('1:sweep-1');
    expect(names.slice(at + 1, at + 4).sort()).toEqual(['2:sweep-1 seed=1', '2:sweep-1 seed=2', '3:sweep-1 seed=1-1']);
    expect(names[names.indexOf('2:sweep-1 seed=1') + 1]).toBe('3:sweep-1 seed=1-1');
    expect(names.filter((n: string) => n.startsWith('1:'))).toHaveLength(3);
    expect(tree.body.nextPageToken).toBeNull();

    const top = await search({ q: 'sweep', experimentIds: [nlp] });
    expect(top.names).toEqual(['sweep']);
    expect(top.body.runs[0].childCount).toBe(3);
    const kids = await search({ parentRunId: child });
    expect(kids.body.runs.map((r: { childCount: number }) => r.childCount).sort()).toEqual([0, 1]);
    const every = await search({ parentRunId: '*', q: 'sweep', experimentIds: [nlp] });
    expect(every.body.total).toBe(1 + 3 + 2 + 1);
  });

  it('rejects bad children requests', async () => {
    const parent = ids.a!;
    for (const body of [{}, { count: 0 }, { count: 1001 }, { tagKey: 'k', tagValues: [] }, { count: 2, tagKey: 'k' }, { tagKey: '../x', tagValues: ['1'] }]) {
      const res = await server.post(`/api/studio/runs/${parent}/children`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const missing = await server.post('/api/studio/runs/0123456789abcdef0123456789abcdef/children', { count: 1 });
    expect(missing.status).toBe(404);
    expect((await server.get('/api/studio/runs/nope/children')).status).toBe(404);
  });

  it('pages with keyset tokens, counting the total once, on the first page', async () => {
    const seen: string[] = [];
    const totals: Array<number | null> = [];
    let token: string | null = null;
    do {
      const res = await server.post('/api/studio/runs/search', { parentRunId: '*', pageSize: 2, ...(token ? { pageToken: token } : {}) });
      seen.push(...res.body.runs.map((r: { runId: string }) => r.runId));
      totals.push(res.body.total);
      token = res.body.nextPageToken;
    } while (token);
    expect(new Set(seen).size).toBe(seen.length);
    expect(totals.length).toBeGreaterThan(2);
    expect(totals[0]).toBe(seen.length);
    // A later page is asked for by token and does not count again.
    expect(totals.slice(1).every((t) => t === null)).toBe(true);
  });
});
