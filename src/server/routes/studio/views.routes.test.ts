import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, testServer, type TestServer } from '../../test-support/backends.js';
import { addUser, callAs, teamServer, type TestUser } from '../../test-support/team.js';

describe.each(backends())('saved views on %s', (backend) => {
  let server: TestServer;
  let ana: TestUser;
  let bo: TestUser;
  let cy: TestUser;
  let root: TestUser;
  beforeAll(async () => {
    server = await teamServer(backend);
    ana = await addUser(server, 'ana', 'contributor');
    bo = await addUser(server, 'bo', 'contributor');
    cy = await addUser(server, 'cy', 'reader');
    root = await addUser(server, 'root', 'admin');
  });
  afterAll(async () => {
    await server.close();
  });

  const as = (user: TestUser, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => callAs(server, user, method, url, payload);
  const state = {
    q: 'resnet',
    filters: [{ field: 'tag', key: 'team', op: '=', value: 'vision' }],
    sort: 'metric:loss',
    desc: false,
    cols: ['name', 'status', 'param:lr'],
    widths: { name: 320 },
    charts: [{ id: 'c1', kind: 'line', metric: 'loss', xAxis: 'step' }, { id: 'c2', kind: 'scatter', x: 'param:lr', y: 'metric:loss' }],
  };

  it('lets a reader make private views only, and change shared ones not at all', async () => {
    const mine = await as(cy, 'POST', '/api/studio/views', { name: 'cy alone', state });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ owner: 'cy', editable: true, mine: true });
    const share = await as(cy, 'POST', '/api/studio/views', { name: 'cy shares', visibility: 'shared', state });
    expect(share.status).toBe(403);
    expect(share.body.message).toContain('contributor');
    expect((await as(cy, 'PUT', `/api/studio/views/${mine.body.id}`, { version: 1, visibility: 'shared' })).status).toBe(403);
    expect((await as(cy, 'PUT', `/api/studio/views/${mine.body.id}`, { version: 1, name: 'cy renamed' })).body).toMatchObject({ name: 'cy renamed', version: 2 });

    const team = await as(ana, 'POST', '/api/studio/views', { name: 'team board', visibility: 'shared', state });
    const seen = await as(cy, 'GET', `/api/studio/views/${team.body.id}`);
    expect(seen.body).toMatchObject({ owner: 'ana', editable: false, mine: false });
    const edit = await as(cy, 'PUT', `/api/studio/views/${team.body.id}`, { version: 1, name: 'hijacked' });
    expect(edit.status).toBe(403);
    expect(edit.body.message).toContain('new private view');
    expect((await as(cy, 'DELETE', `/api/studio/views/${team.body.id}`)).status).toBe(403);
    expect((await as(bo, 'PUT', `/api/studio/views/${team.body.id}`, { version: 1, name: 'bo edits' })).body).toMatchObject({ name: 'bo edits', owner: 'ana', editable: true });
    expect((await as(ana, 'GET', `/api/studio/views/${team.body.id}`)).body.name).toBe('bo edits');
  });

  it('lets only an admin open anyone\'s private view and give a view another owner', async () => {
    const secret = await as(ana, 'POST', '/api/studio/views', { name: 'ana secret', state });
    expect((await as(bo, 'GET', `/api/studio/views/${secret.body.id}`)).status).toBe(404);
    expect((await as(root, 'GET', `/api/studio/views/${secret.body.id}`)).body).toMatchObject({ owner: 'ana', editable: true, mine: false });
    expect((await as(ana, 'PUT', `/api/studio/views/${secret.body.id}`, { version: 1, owner: 'bo' })).status).toBe(403);
    expect((await as(root, 'PUT', `/api/studio/views/${secret.body.id}`, { version: 1, owner: 'nobody' })).body.message).toContain("'owner'");
    const moved = await as(root, 'PUT', `/api/studio/views/${secret.body.id}`, { version: 1, owner: 'bo' });
    expect(moved.body).toMatchObject({ owner: 'bo', version: 2 });
    expect((await as(bo, 'GET', `/api/studio/views/${secret.body.id}`)).body).toMatchObject({ mine: true, editable: true });
    expect((await as(ana, 'GET', `/api/studio/views/${secret.body.id}`)).status).toBe(404);
    expect((await as(bo, 'GET', '/api/studio/views')).body.mine.map((v: { name: string }) => v.name)).toContain('ana secret');
  });

  it('asks anonymous callers to sign in', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/studio/views' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' });
  });

  it('keeps a private view to its owner, and shows a shared one to everyone', async () => {
    const created = await as(ana, 'POST', '/api/studio/views', { name: 'Monday sweep', state });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Monday sweep', visibility: 'private', experimentId: null, version: 1, mine: true, state });
    const id = created.body.id as string;
    expect((await as(bo, 'GET', `/api/studio/views/${id}`)).status).toBe(404);
    expect((await as(bo, 'GET', '/api/studio/views')).body.mine.map((v: { id: string }) => v.id)).not.toContain(id);
    expect((await as(bo, 'PUT', `/api/studio/views/${id}`, { version: 1, name: 'mine now' })).status).toBe(404);

    const shared = await as(ana, 'PUT', `/api/studio/views/${id}`, { version: 1, visibility: 'shared' });
    expect(shared.body).toMatchObject({ visibility: 'shared', version: 2 });
    const seen = await as(bo, 'GET', '/api/studio/views');
    expect(seen.body.shared.find((v: { id: string }) => v.id === id)).toMatchObject({ name: 'Monday sweep', mine: false, owner: 'ana', editable: true });
    expect((await as(ana, 'GET', '/api/studio/views')).body.mine.map((v: { id: string }) => v.id)).toContain(id);
  });

  it('refuses a save from an out-of-date version with 409, and keeps the newer one', async () => {
    const { body: view } = await as(ana, 'POST', '/api/studio/views', { name: 'race', visibility: 'shared', state });
    const first = await as(bo, 'PUT', `/api/studio/views/${view.id}`, { version: 1, state: { ...state, q: 'bo wins' } });
    expect(first.body).toMatchObject({ version: 2, state: { q: 'bo wins' } });
    const late = await as(ana, 'PUT', `/api/studio/views/${view.id}`, { version: 1, state: { ...state, q: 'ana loses' } });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error_code: 'RESOURCE_CONFLICT', currentVersion: 2 });
    expect(late.body.message).toContain('save yours as a new view');
    expect((await as(ana, 'GET', `/api/studio/views/${view.id}`)).body.state.q).toBe('bo wins');
    expect((await as(ana, 'DELETE', `/api/studio/views/${view.id}?version=1`)).status).toBe(409);
    expect((await as(ana, 'DELETE', `/api/studio/views/${view.id}?version=2`)).status).toBe(200);
    expect((await as(ana, 'GET', `/api/studio/views/${view.id}`)).status).toBe(404);
  });

  it('scopes a view to an experiment, and validates what is saved', async () => {
    const exp = (await as(ana, 'POST', '/api/2.0/mlflow/experiments/create', { name: 'scoped' })).body.experiment_id as string;
    const scoped = await as(ana, 'POST', '/api/studio/views', { name: 'exp view', experimentId: exp, state: {} });
    expect(scoped.body.experimentId).toBe(exp);
    expect((await as(ana, 'POST', '/api/studio/views', { name: 'x', experimentId: '999', state: {} })).status).toBe(404);
    const cases: Array<[unknown, string]> = [
      [{ state: {} }, 'name'],
      [{ name: '  ', state: {} }, 'name'],
      [{ name: 'x', state: { charts: [{ id: 'a', kind: 'pie' }] } }, 'state.charts[0].kind'],
      [{ name: 'x', state: { widths: { name: 5 } } }, 'state.widths.name'],
      [{ name: 'x', visibility: 'public', state: {} }, 'visibility'],
    ];
    for (const [body, field] of cases) {
      const res = await as(ana, 'POST', '/api/studio/views', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toContain(field);
    }
  });

  it('bounds what a view stores, and lists views without their states', async () => {
    const widths = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`metric:m${i}`, 100]));
    const wide = await as(ana, 'POST', '/api/studio/views', { name: 'wide', state: { widths } });
    expect(wide.status).toBe(400);
    expect(wide.body.message).toContain('at most 200 column widths');
    // Within every field's own bound, but over 64 KB together.
    const filters = Array.from({ length: 30 }, () => ({ field: 'tag', key: 'k'.repeat(250), op: '=', value: 'v'.repeat(1000) }));
    const big = await as(ana, 'POST', '/api/studio/views', { name: 'big', state: { filters, filter: `params.p = '${'x'.repeat(9_000)}'`, cols: Array.from({ length: 100 }, (_, i) => `param:${'c'.repeat(290)}${i}`) } });
    expect(big.status).toBe(400);
    expect(big.body.message).toContain("'state'");
    expect(big.body.message).toContain('65,536');
    const ok = await as(ana, 'POST', '/api/studio/views', { name: 'listed', visibility: 'shared', state });
    expect(ok.status).toBe(201);
    const update = await as(ana, 'PUT', `/api/studio/views/${ok.body.id}`, { version: 1, state: { ...state, filters } });
    expect(update.status).toBe(200);
    const tooBig = await as(ana, 'PUT', `/api/studio/views/${ok.body.id}`, { version: 2, state: { filters, cols: Array.from({ length: 100 }, (_, i) => `param:${'c'.repeat(290)}${i}`) } });
    expect(tooBig.status).toBe(400);
    const listed = (await as(bo, 'GET', '/api/studio/views')).body.shared.find((v: { id: string }) => v.id === ok.body.id);
    expect(listed).toMatchObject({ name: 'listed', version: 2 });
    expect(listed).not.toHaveProperty('state');
    expect((await as(bo, 'GET', `/api/studio/views/${ok.body.id}`)).body.state.filters).toHaveLength(30);
  });

  it('opens a view stored by an older schema, repairing what no longer parses', async () => {
    await server.db.kysely
      .insertInto('views')
      .values({ id: 'legacy', name: 'legacy', owner_id: 'gone-user', visibility: 'shared', experiment_id: null, state: JSON.stringify({ q: 'old', cols: 'broken', retired: 1 }), version: 1, created_at: 0, updated_at: 0 })
      .execute();
    const res = await as(bo, 'GET', '/api/studio/views/legacy');
    expect(res.status).toBe(200);
    expect(res.body.state).toEqual({ q: 'old' });
    expect(res.body.owner).toBeNull();
  });
});

describe.each(backends())('saved views in local mode on %s', (backend) => {
  it('gives the views of the anonymous-cookie era to the one local user', async () => {
    const first = await testServer(backend);
    await first.db.kysely
      .insertInto('views')
      .values({ id: 'old-cookie', name: 'from a cookie', owner_id: '6f1c0a52-8d0e-4d3b-9b7e-2f6a1d9c3e10', visibility: 'private', experiment_id: null, state: '{}', version: 1, created_at: 0, updated_at: 0 })
      .execute();
    const { buildApp } = await import('../../app.js');
    const again = await buildApp({ db: first.db, blobDir: first.blobDir, webRoot: null, options: { localUser: 'ana' } });
    const res = await again.inject({ method: 'GET', url: '/api/studio/views' });
    expect(res.json<{ mine: Array<{ id: string; owner: string; editable: boolean }> }>().mine).toEqual([expect.objectContaining({ id: 'old-cookie', owner: 'ana', editable: true })]);
    await again.close();
    await first.close();
  });
});
