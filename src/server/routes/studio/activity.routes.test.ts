import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';
import { addUser, callAs, teamServer, type TestUser } from '../../test-support/team.js';

const S = '/api/studio';

describe.each(backends())("a run's activity and submitter on a team-mode server (%s)", (backend) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let reader: TestUser;
  beforeAll(async () => {
    server = await teamServer(backend);
    alice = await addUser(server, 'alice', 'contributor');
    bob = await addUser(server, 'bob', 'admin');
    reader = await addUser(server, 'rea', 'reader');
  });
  afterAll(() => server?.close());

  async function createRun(user: TestUser, body: Record<string, unknown> = {}) {
    const res = await callAs(server, user, 'POST', `${ML}/runs/create`, { experiment_id: '0', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.run as { info: { run_id: string; user_id: string }; data: { tags: Array<{ key: string; value: string }> } };
  }
  const activity = async (runId: string, user: TestUser = reader) => {
    const res = await callAs(server, user, 'GET', `${S}/runs/${runId}/activity`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.activity as Array<{ at: number; user: string; action: string; detail: string | null }>;
  };
  const ok = async (res: Promise<{ status: number; body: unknown }>) => {
    const { status, body } = await res;
    expect(status, JSON.stringify(body)).toBe(200);
  };

  it('records renames, descriptions, tags, untags and a cancel, newest first, with who did each', async () => {
    const run = await createRun(alice, { run_name: 'first' });
    const id = run.info.run_id;
    expect(await activity(id)).toEqual([]);

    await ok(callAs(server, alice, 'POST', `${ML}/runs/update`, { run_id: id, run_name: 'second' }));
    await ok(callAs(server, bob, 'POST', `${ML}/runs/set-tag`, { run_id: id, key: 'mlflow.note.content', value: 'what this run tries' }));
    await ok(callAs(server, alice, 'POST', `${ML}/runs/set-tag`, { run_id: id, key: 'phase', value: 'explore' }));
    await ok(callAs(server, bob, 'POST', `${ML}/runs/set-tag`, { run_id: id, key: 'mlflow.runName', value: 'third' }));
    await ok(callAs(server, bob, 'POST', `${ML}/runs/delete-tag`, { run_id: id, key: 'phase' }));
    // Not recorded: system tags. Recorded: a name, description or tag logged in a batch (mlflow.set_tags).
    await ok(callAs(server, alice, 'POST', `${ML}/runs/set-tag`, { run_id: id, key: 'mlflow.source.name', value: 'train.py' }));
    await ok(callAs(server, alice, 'POST', `${ML}/runs/log-batch`, { run_id: id, tags: [{ key: 'batched', value: '1' }, { key: 'mlflow.note.content', value: 'batched note' }, { key: 'mlflow.source.type', value: 'LOCAL' }], params: [{ key: 'lr', value: '0.1' }] }));
    await ok(callAs(server, alice, 'POST', `${S}/runs/${id}/cancel`, {}));

    const entries = await activity(id);
    expect(entries.map(({ user, action, detail }) => ({ user, action, detail }))).toEqual([
      { user: 'alice', action: 'cancelled', detail: null },
      { user: 'alice', action: 'described', detail: null },
      { user: 'alice', action: 'tagged', detail: 'batched' },
      { user: 'bob', action: 'untagged', detail: 'phase' },
      { user: 'bob', action: 'renamed', detail: 'third' },
      { user: 'alice', action: 'tagged', detail: 'phase' },
      { user: 'bob', action: 'described', detail: null },
      { user: 'alice', action: 'renamed', detail: 'second' },
    ]);
    const times = entries.map((e) => e.at);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect((await callAs(server, reader, 'GET', `${S}/runs/${id}/activity?limit=2`)).body.activity.map((e: { action: string }) => e.action)).toEqual(['cancelled', 'described']);
  });

  it('records who deleted and restored a run', async () => {
    const run = await createRun(alice);
    const id = run.info.run_id;
    await ok(callAs(server, bob, 'POST', `${ML}/runs/delete`, { run_id: id }));
    await ok(callAs(server, alice, 'POST', `${ML}/runs/restore`, { run_id: id }));
    expect((await activity(id)).map(({ user, action }) => ({ user, action }))).toEqual([
      { user: 'alice', action: 'restored' },
      { user: 'bob', action: 'deleted' },
    ]);
  });

  it('records a fail with its reason', async () => {
    const run = await createRun(alice);
    await ok(callAs(server, bob, 'POST', `${S}/runs/${run.info.run_id}/fail`, { reason: 'out of memory' }));
    expect((await activity(run.info.run_id)).map(({ user, action, detail }) => ({ user, action, detail }))).toEqual([{ user: 'bob', action: 'failed', detail: 'out of memory' }]);
  });

  it('a change refused by the role check records nothing', async () => {
    const run = await createRun(alice);
    expect((await callAs(server, reader, 'POST', `${ML}/runs/set-tag`, { run_id: run.info.run_id, key: 'phase', value: 'x' })).status).toBe(403);
    expect(await activity(run.info.run_id)).toEqual([]);
  });

  it('an unknown run has no activity: 404', async () => {
    const res = await callAs(server, reader, 'GET', `${S}/runs/0123456789abcdef0123456789abcdef/activity`);
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await callAs(server, reader, 'GET', `${S}/runs/not-a-run/activity`)).status).toBe(404);
  });

  it("the submitter is whoever signed in, not the client's user_id or mlflow.user tag", async () => {
    const run = await createRun(alice, { user_id: 'someone-else', tags: [{ key: 'mlflow.user', value: 'intruder' }] });
    expect(run.info.user_id).toBe('alice');
    expect(run.data.tags.filter((t) => t.key === 'mlflow.user')).toEqual([{ key: 'mlflow.user', value: 'alice' }]);
    const read = await callAs(server, reader, 'GET', `${ML}/runs/get?run_id=${run.info.run_id}`);
    expect(read.body.run.info.user_id).toBe('alice');
    expect(read.body.run.data.tags.filter((t: { key: string }) => t.key === 'mlflow.user')).toEqual([{ key: 'mlflow.user', value: 'alice' }]);
  });

  it('mlflow.user cannot be changed afterwards by set-tag, delete-tag or log-batch', async () => {
    const run = await createRun(alice);
    const id = run.info.run_id;
    for (const [url, body] of [
      [`${ML}/runs/set-tag`, { run_id: id, key: 'mlflow.user', value: 'intruder' }],
      [`${ML}/runs/delete-tag`, { run_id: id, key: 'mlflow.user' }],
      [`${ML}/runs/log-batch`, { run_id: id, tags: [{ key: 'mlflow.user', value: 'intruder' }] }],
    ] as const) {
      const res = await callAs(server, bob, 'POST', url, body);
      expect(res.status, url).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(res.body.message).toContain('mlflow.user');
    }
    const read = await callAs(server, reader, 'GET', `${ML}/runs/get?run_id=${id}`);
    expect(read.body.run.data.tags.filter((t: { key: string }) => t.key === 'mlflow.user')).toEqual([{ key: 'mlflow.user', value: 'alice' }]);
  });

  it('child runs created through the studio belong to the caller', async () => {
    const parent = await createRun(alice);
    const res = await callAs(server, bob, 'POST', `${S}/runs/${parent.info.run_id}/children`, { count: 2 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.runs).toHaveLength(2);
    for (const child of res.body.runs as Array<{ runId: string; userId: string }>) {
      expect(child.userId).toBe('bob');
      const read = await callAs(server, reader, 'GET', `${ML}/runs/get?run_id=${child.runId}`);
      expect(read.body.run.info.user_id).toBe('bob');
      expect(read.body.run.data.tags.find((t: { key: string }) => t.key === 'mlflow.user')?.value).toBe('bob');
    }
  });

  // studio-runs.service createChildren adds mlflow.runName, mlflow.parentRunId and
  // mlflow.user itself, so a sweep over one of those keys collides with its own tag.
  it.each(['mlflow.user', 'mlflow.parentRunId', 'mlflow.runName'])('a sweep over the tag %s the server sets itself is a 400, not a 500 or another submitter', async (tagKey) => {
    const parent = await createRun(alice);
    const res = await callAs(server, alice, 'POST', `${S}/runs/${parent.info.run_id}/children`, { tagKey, tagValues: ['intruder'] });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(res.body.message).toContain(tagKey);
    expect((await callAs(server, reader, 'GET', `${S}/runs/${parent.info.run_id}/children`)).body.runs).toEqual([]);
  });
});

describe.each(backends())('the submitter on a local-mode server (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer(backend, undefined, { localUser: 'ada' });
  });
  afterAll(() => server?.close());

  it("keeps the client's user_id and lets mlflow.user be set; activity names the local user", async () => {
    const created = await server.post(`${ML}/runs/create`, { experiment_id: '0', user_id: 'jupyter-ann' });
    expect(created.status).toBe(200);
    const id = created.body.run.info.run_id as string;
    expect(created.body.run.info.user_id).toBe('jupyter-ann');
    expect((await server.post(`${ML}/runs/set-tag`, { run_id: id, key: 'mlflow.user', value: 'ann' })).status).toBe(200);
    expect((await server.post(`${ML}/runs/update`, { run_id: id, run_name: 'renamed' })).status).toBe(200);
    expect((await server.get(`${S}/runs/${id}/activity`)).body.activity.map(({ user, action }: { user: string; action: string }) => ({ user, action }))).toEqual([{ user: 'ada', action: 'renamed' }]);
  });
});
