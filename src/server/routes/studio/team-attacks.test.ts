import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, type Backend, type TestServer } from '../../test-support/backends.js';
import { addUser, callAs, onPage, signIn, teamServer, type TestUser } from '../../test-support/team.js';

/**
 * Regression guards from an attack on team mode: each test is an attack the server refuses
 * today (privilege escalation, CSRF, proxy spoofing, session reuse, submitter spoofing).
 */
const S = '/api/studio';
const json = { 'content-type': 'application/json' };

describe.each(backends())('team-mode attacks refused on %s', (backend: Backend) => {
  let server: TestServer;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let bobPage: TestUser;
  let alicePage: TestUser;
  let runId: string;

  beforeAll(async () => {
    server = await teamServer(backend, { authProxyHeader: 'X-Forwarded-User', authProxyTrusted: ['10.9.9.9'] });
    admin = await addUser(server, 'root', 'admin', 'root-password');
    alice = await addUser(server, 'alice', 'contributor', 'alice-password');
    bob = await addUser(server, 'bob', 'reader', 'bob-password');
    bobPage = await onPage(server, bob, 'bob-password');
    alicePage = await onPage(server, alice, 'alice-password');
    const created = await callAs(server, admin, 'POST', `${ML}/runs/create`, { experiment_id: '0', run_name: 'r' });
    runId = created.body.run.info.run_id;
  });
  afterAll(() => server?.close());

  it('a reader reaches no admin endpoint, whatever the method or spelling of the path', async () => {
    for (const url of [`${S}/users`, `${S}/users/`, `${S}/%75sers`, `${S}/users?x=1`]) {
      expect((await callAs(server, bobPage, 'GET', url)).status).toBe(403);
    }
    const head = await server.app.inject({ method: 'HEAD', url: `${S}/users`, headers: bobPage.headers });
    expect(head.statusCode).toBe(403);
    expect((await callAs(server, bobPage, 'PATCH', `${S}/users/bob`, { role: 'admin' })).status).toBe(403);
    expect((await callAs(server, bob, 'PATCH', `${S}/users/bob`, { role: 'admin' })).status).toBe(403);
    expect((await callAs(server, alicePage, 'POST', `${S}/users`, { name: 'eve', role: 'admin', password: 'eve-password' })).status).toBe(403);
    expect((await callAs(server, admin, 'GET', `${S}/users`)).body.users.find((u: { name: string }) => u.name === 'bob').role).toBe('reader');
  });

  it('nobody makes a token for someone else, lists all tokens below admin, or makes one with a token or a password', async () => {
    expect((await callAs(server, bobPage, 'POST', `${S}/tokens`, { name: 'x', user: 'root' })).status).toBe(403);
    expect((await callAs(server, bobPage, 'GET', `${S}/tokens?all=true`)).status).toBe(403);
    expect((await callAs(server, bob, 'POST', `${S}/tokens`, { name: 'x' })).status).toBe(403);
    const basic = { authorization: `Basic ${Buffer.from('bob:bob-password').toString('base64')}` };
    expect((await callAs(server, { ...bob, headers: basic }, 'POST', `${S}/tokens`, { name: 'x' })).status).toBe(403);
    // Another user's token is not found to a non-admin, and its secret is never listed.
    const mine = await callAs(server, admin, 'GET', `${S}/tokens?all=true`);
    const rootToken = mine.body.tokens.find((t: { user: string }) => t.user === 'root');
    expect(JSON.stringify(mine.body)).not.toContain(admin.token.slice(12));
    expect((await callAs(server, bob, 'DELETE', `${S}/tokens/${rootToken.id}`)).status).toBe(404);
  });

  it('cookie writes need the CSRF token and JSON; other origins, text/plain and raw bodies without it are refused', async () => {
    const cookieOnly = { cookie: alicePage.headers.cookie! };
    const noCsrf = [
      { method: 'POST' as const, url: `${S}/views`, headers: { ...cookieOnly, ...json }, payload: JSON.stringify({ name: 'v', state: {} }) },
      { method: 'POST' as const, url: `${S}/auth/sign-out`, headers: { ...cookieOnly, ...json }, payload: '{}' },
      { method: 'POST' as const, url: `${S}/runs/${runId}/logs/std_log.txt?offset=0`, headers: { ...cookieOnly, 'content-type': 'application/octet-stream' }, payload: Buffer.from('x') },
      { method: 'PUT' as const, url: `/api/2.0/mlflow-artifacts/artifacts/0/${runId}/artifacts/a.txt`, headers: { ...cookieOnly, 'content-type': 'text/plain' }, payload: 'x' },
      { method: 'DELETE' as const, url: `${S}/tokens/nope`, headers: cookieOnly },
    ];
    for (const request of noCsrf) expect((await server.app.inject(request)).statusCode, request.url).toBe(403);
    // A form's text/plain body, even with the token, is not read as JSON.
    const form = await server.app.inject({ method: 'POST', url: `${ML}/runs/set-tag`, headers: { ...alicePage.headers, 'content-type': 'text/plain' }, payload: JSON.stringify({ run_id: runId, key: 'k', value: 'v' }) });
    expect(form.statusCode).toBe(415);
    // Another origin, even with cookie and token.
    const cross = await server.app.inject({ method: 'POST', url: `${ML}/runs/set-tag`, headers: { ...alicePage.headers, ...json, origin: 'http://evil.example' }, payload: JSON.stringify({ run_id: runId, key: 'k', value: 'v' }) });
    expect(cross.statusCode).toBe(403);
    const signInCross = await server.app.inject({ method: 'POST', url: `${S}/auth/sign-in`, headers: { ...json, origin: 'http://evil.example' }, payload: JSON.stringify({ name: 'bob', password: 'bob-password' }) });
    expect(signInCross.statusCode).toBe(403);
    // Another session's token does not do.
    const wrong = await server.app.inject({ method: 'POST', url: `${S}/views`, headers: { ...cookieOnly, ...json, 'x-csrf-token': bobPage.headers['x-csrf-token']! }, payload: JSON.stringify({ name: 'v', state: {} }) });
    expect(wrong.statusCode).toBe(403);
  });

  it("the proxy's header is ignored from an untrusted address, and a doubled header names nobody", async () => {
    const spoof = await server.app.inject({ method: 'GET', url: `${S}/auth/session`, headers: { 'x-forwarded-user': 'root' }, remoteAddress: '10.1.1.1' });
    expect(spoof.json()).toMatchObject({ user: null });
    const viaXff = await server.app.inject({ method: 'GET', url: `${S}/users`, headers: { 'x-forwarded-user': 'root', 'x-forwarded-for': '10.9.9.9' }, remoteAddress: '10.1.1.1' });
    expect(viaXff.statusCode).toBe(401);
    const doubled = await server.app.inject({ method: 'GET', url: `${S}/auth/session`, headers: { 'x-forwarded-user': ['bob', 'root'] }, remoteAddress: '10.9.9.9' });
    expect(doubled.statusCode).toBe(401);
  });

  it('a session ends with sign-out, a new password and the removal of its user; a token with its user', async () => {
    await addUser(server, 'carol', 'contributor', 'carol-password');
    const first = await signIn(server, 'carol', 'carol-password');
    const out = await server.app.inject({ method: 'POST', url: `${S}/auth/sign-out`, headers: { cookie: first.cookie, 'x-csrf-token': first.csrfToken, ...json }, payload: '{}' });
    expect(out.statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: `${S}/auth/session`, headers: { cookie: first.cookie } })).json()).toMatchObject({ user: null });
    const second = await signIn(server, 'carol', 'carol-password');
    const carolToken = await server.app.inject({ method: 'POST', url: `${S}/tokens`, headers: { cookie: second.cookie, 'x-csrf-token': second.csrfToken, ...json }, payload: JSON.stringify({ name: 't' }) });
    const secret = carolToken.json<{ secret: string }>().secret;
    expect((await callAs(server, admin, 'PATCH', `${S}/users/carol`, { password: 'carol-new-password' })).status).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: `${S}/auth/session`, headers: { cookie: second.cookie } })).json()).toMatchObject({ user: null });
    expect((await callAs(server, admin, 'DELETE', `${S}/users/carol`)).status).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: `${S}/auth/session`, headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(401);
  });

  it("a private view is not found by others and never listed; a reader cannot share or take one", async () => {
    const view = await callAs(server, alicePage, 'POST', `${S}/views`, { name: 'secret-view', visibility: 'private', state: {} });
    expect(view.status).toBe(201);
    const id = view.body.id;
    expect((await callAs(server, bob, 'GET', `${S}/views/${id}`)).status).toBe(404);
    expect(JSON.stringify((await callAs(server, bob, 'GET', `${S}/views`)).body)).not.toContain('secret-view');
    expect((await callAs(server, bob, 'PUT', `${S}/views/${id}`, { version: 1, name: 'mine' })).status).toBe(404);
    expect((await callAs(server, bob, 'DELETE', `${S}/views/${id}`)).status).toBe(404);
    const own = await callAs(server, bob, 'POST', `${S}/views`, { name: 'b', visibility: 'private', state: {} });
    expect((await callAs(server, bob, 'PUT', `${S}/views/${own.body.id}`, { version: 1, visibility: 'shared' })).status).toBe(403);
    expect((await callAs(server, bob, 'PUT', `${S}/views/${own.body.id}`, { version: 1, owner: 'root' })).status).toBe(403);
  });

  it('the submitter is whoever signed in, through create, set-tag, log-batch and delete-tag', async () => {
    const created = await callAs(server, alice, 'POST', `${ML}/runs/create`, { experiment_id: '0', user_id: 'root', tags: [{ key: 'mlflow.user', value: 'root' }] });
    expect(created.body.run.info.user_id).toBe('alice');
    const id = created.body.run.info.run_id;
    expect((await callAs(server, alice, 'POST', `${ML}/runs/set-tag`, { run_id: id, key: 'mlflow.user', value: 'root' })).status).toBe(400);
    expect((await callAs(server, alice, 'POST', `${ML}/runs/log-batch`, { run_id: id, tags: [{ key: 'mlflow.user', value: 'root' }] })).status).toBe(400);
    expect((await callAs(server, alice, 'POST', `${ML}/runs/delete-tag`, { run_id: id, key: 'mlflow.user' })).status).toBe(400);
    const run = await callAs(server, admin, 'GET', `${ML}/runs/get?run_id=${id}`);
    expect(run.body.run.info.user_id).toBe('alice');
    expect(run.body.run.data.tags).toContainEqual({ key: 'mlflow.user', value: 'alice' });
  });

  it('a reader may not cancel, fail, log or open the launcher stream', async () => {
    expect((await callAs(server, bob, 'POST', `${S}/runs/${runId}/cancel`, {})).status).toBe(403);
    expect((await callAs(server, bob, 'POST', `${ML}/runs/set-tag`, { run_id: runId, key: 'k', value: 'v' })).status).toBe(403);
    const stream = await server.app.inject({ method: 'GET', url: `${S}/runs/${runId}/control/stream`, headers: bob.headers });
    expect(stream.statusCode).toBe(403);
  });
});
