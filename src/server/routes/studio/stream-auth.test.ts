import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, listeningServer } from '../../test-support/backends.js';
import { sseStream } from '../../test-support/sse.js';
import { addUser, callAs, onPage, type TestUser } from '../../test-support/team.js';
import { updateUser } from '../../services/users.service.js';
import * as store from '../../store/users.store.js';

const S = '/api/studio';
const ML = '/api/2.0/mlflow';

describe.each(backends())('open streams once their caller is no longer signed in, on %s', (backend) => {
  let server: Awaited<ReturnType<typeof listeningServer>>;
  let writer: TestUser;
  let runId: string;
  beforeAll(async () => {
    server = await listeningServer(backend, { auth: 'team', streamAuthRecheckMs: 50 });
    writer = await addUser(server, 'writer', 'contributor');
    const { body } = await callAs(server, writer, 'POST', `${ML}/runs/create`, { experiment_id: '0', start_time: Date.now() });
    runId = body.run.info.run_id as string;
  });
  afterAll(() => server?.close());

  const events = (user: TestUser) => sseStream(`${server.url}${S}/events?runs=${runId}`, user.headers);
  const touch = () => callAs(server, writer, 'POST', `${ML}/runs/set-tag`, { run_id: runId, key: 'note', value: String(Date.now()) });

  it('closes a stream whose token is revoked, and keeps the others', async () => {
    const leaving = await addUser(server, 'leaving', 'reader');
    const staying = await addUser(server, 'staying', 'reader');
    const revoked = await events(leaving);
    const kept = await events(staying);
    expect([revoked.status, kept.status]).toEqual([200, 200]);
    const [token] = await store.listTokens(server.db, (await store.findUserByName(server.db, 'leaving'))!.id);
    await store.deleteToken(server.db, token!.id);
    await revoked.closed();
    await touch();
    await kept.next((e) => e.event === 'run' && (e.data as { kind: string }).kind === 'updated');
    kept.close();
  });

  it('closes a live log tail whose session signed out, and a launcher stream whose user became a reader', async () => {
    const follower = await onPage(server, await addUser(server, 'follower', 'reader', 'follower-password'), 'follower-password');
    const tail = await sseStream(`${server.url}${S}/runs/${runId}/logs/std_log.txt/stream`, { cookie: follower.headers.cookie! });
    expect(tail.status).toBe(200);
    expect((await callAs(server, follower, 'POST', `${S}/auth/sign-out`, {})).status).toBe(200);
    await tail.closed();

    const launcher = await addUser(server, 'launcher', 'contributor');
    const control = await sseStream(`${server.url}${S}/runs/${runId}/control/stream`, launcher.headers);
    expect(control.status).toBe(200);
    await updateUser({ db: server.db, now: Date.now }, 'launcher', { role: 'reader' });
    await control.closed();
  });
});
