import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type * as FastifyModule from 'fastify';
import type { FastifyServerOptions } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.js';
import { backends, openTestDb, testServer, type Backend, type TestServer } from '../../test-support/backends.js';
import { addUser, callAs, onPage, signIn, teamServer, type TestUser } from '../../test-support/team.js';

// A server built with `logger: true` writes its request log here instead of stdout, so a test
// can read every line it logged.
const logged = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock('fastify', async (importOriginal) => {
  const actual = await importOriginal<typeof FastifyModule>();
  const make = (options: FastifyServerOptions = {}) => {
    const capture = new Writable({ write: (chunk: Buffer, _enc, done) => (logged.lines.push(chunk.toString()), done()) });
    return actual.default(options.logger === true ? { ...options, logger: { level: 'trace', stream: capture } } : options);
  };
  return { ...actual, default: make };
});

const S = '/api/studio';
const DAY = 24 * 3600 * 1000;
const json = { 'content-type': 'application/json' };
const basic = (name: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}` });

/** A request with any headers (cookies, basic auth, a proxy's header), answering status, JSON body and headers. */
async function call(server: Pick<TestServer, 'app'>, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string> = {}, payload?: unknown, remoteAddress?: string) {
  const res = await server.app.inject({
    method,
    url,
    headers: payload === undefined ? headers : { ...json, ...headers },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    ...(remoteAddress ? { remoteAddress } : {}),
  });
  return { status: res.statusCode, body: res.json<Record<string, any>>(), text: res.body, headers: res.headers };
}

describe.each(backends())('auth routes on %s', (backend: Backend) => {
  describe('signing in and out', () => {
    let server: TestServer;
    let admin: TestUser;
    beforeAll(async () => {
      server = await teamServer(backend, { authProxyTrusted: ['127.0.0.1'] });
      admin = await addUser(server, 'root', 'admin', 'root-password');
      await addUser(server, 'ana', 'contributor', 'ana-password');
    });
    afterAll(() => server?.close());

    it('sets an HttpOnly, SameSite=Lax session cookie, not Secure over plain HTTP, and the session knows the user', async () => {
      const res = await call(server, 'POST', `${S}/auth/sign-in`, {}, { name: 'ana', password: 'ana-password' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ mode: 'team', user: { name: 'ana', role: 'contributor' }, via: 'session', csrfToken: expect.any(String) });
      const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('rs_session='))!;
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).not.toMatch(/; Secure/);
      const session = await call(server, 'GET', `${S}/auth/session`, { cookie: cookie.split(';')[0]! });
      expect(session.body).toMatchObject({ mode: 'team', user: { name: 'ana' }, via: 'session' });
    });

    it('makes the cookie Secure when a trusted proxy (here on loopback) says the page came over HTTPS', async () => {
      const { setCookie } = await signIn(server, 'ana', 'ana-password', { 'x-forwarded-proto': 'https' });
      expect(setCookie).toMatch(/; Secure/);
      expect(setCookie).toMatch(/; HttpOnly/);
    });

    it('answers a wrong password and an unknown user alike, with no password in the answer', async () => {
      const wrong = await call(server, 'POST', `${S}/auth/sign-in`, {}, { name: 'root', password: 'guess-one-1' });
      const unknown = await call(server, 'POST', `${S}/auth/sign-in`, {}, { name: 'nobody', password: 'guess-two-2' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual({ error_code: 'UNAUTHENTICATED', message: 'Wrong user name or password.' });
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.headers['set-cookie']).toBeUndefined();
      expect(wrong.text).not.toContain('guess-one-1');
    });

    it('never answers with a password or its hash', async () => {
      const list = await callAs(server, admin, 'GET', `${S}/users`);
      expect(list.status).toBe(200);
      expect(list.body.users.find((u: { name: string }) => u.name === 'ana')).toEqual({ id: expect.any(String), name: 'ana', role: 'contributor', email: null, hasPassword: true, createdAt: expect.any(Number) });
      const created = await callAs(server, admin, 'POST', `${S}/users`, { name: 'hidden', role: 'reader', password: 'secret-password-1' });
      const updated = await callAs(server, admin, 'PATCH', `${S}/users/hidden`, { password: 'secret-password-2' });
      const signedIn = await call(server, 'POST', `${S}/auth/sign-in`, {}, { name: 'hidden', password: 'secret-password-2' });
      const after = await callAs(server, admin, 'GET', `${S}/users`);
      for (const res of [list, created, updated, signedIn, after]) {
        const text = JSON.stringify(res.body);
        expect(text).not.toMatch(/secret-password|ana-password|scrypt|hash/i);
      }
    });

    it('signing in as someone else in the same browser ends the session it had', async () => {
      await addUser(server, 'first-user', 'reader', 'first-password');
      await addUser(server, 'second-user', 'reader', 'second-password');
      const first = await signIn(server, 'first-user', 'first-password');
      const second = await signIn(server, 'second-user', 'second-password', { cookie: first.cookie });
      expect((await call(server, 'GET', `${S}/auth/session`, { cookie: first.cookie })).body).toMatchObject({ user: null });
      expect((await call(server, 'GET', `${S}/auth/session`, { cookie: second.cookie })).body).toMatchObject({ user: { name: 'second-user' } });
    });

    it('sign-out ends the session: the cookie no longer signs anything in', async () => {
      const { cookie, csrfToken } = await signIn(server, 'ana', 'ana-password');
      expect((await call(server, 'GET', `${S}/views`, { cookie })).status).toBe(200);
      const out = await call(server, 'POST', `${S}/auth/sign-out`, { cookie, 'x-csrf-token': csrfToken }, {});
      expect(out.status).toBe(200);
      expect([out.headers['set-cookie']].flat().join()).toMatch(/rs_session=;/);
      expect((await call(server, 'GET', `${S}/views`, { cookie })).status).toBe(401);
      expect((await call(server, 'GET', `${S}/auth/session`, { cookie })).body).toMatchObject({ user: null, via: null, csrfToken: null });
    });

    it('a new password signs out every session of that user, and the old password stops working for basic auth', async () => {
      const one = await signIn(server, 'ana', 'ana-password');
      const two = await signIn(server, 'ana', 'ana-password');
      expect((await call(server, 'GET', `${S}/views`, basic('ana', 'ana-password'))).status).toBe(200);
      expect((await callAs(server, admin, 'PATCH', `${S}/users/ana`, { password: 'ana-password-2' })).status).toBe(200);
      for (const s of [one, two]) expect((await call(server, 'GET', `${S}/views`, { cookie: s.cookie })).status).toBe(401);
      expect((await call(server, 'GET', `${S}/views`, basic('ana', 'ana-password'))).status).toBe(401);
      expect((await call(server, 'GET', `${S}/views`, basic('ana', 'ana-password-2'))).status).toBe(200);
      const adminSession = await signIn(server, 'root', 'root-password');
      expect((await call(server, 'GET', `${S}/users`, { cookie: adminSession.cookie })).status).toBe(200);
    });

    it('basic auth with name:password signs in; a wrong password is 401; malformed is 401', async () => {
      const ok = await call(server, 'GET', `${S}/auth/session`, basic('root', 'root-password'));
      expect(ok.body).toMatchObject({ user: { name: 'root', role: 'admin' }, via: 'basic', csrfToken: null });
      const wrong = await call(server, 'GET', `${S}/users`, basic('root', 'nope-nope'));
      expect(wrong.status).toBe(401);
      expect(wrong.text).not.toContain('nope-nope');
      expect((await call(server, 'GET', `${S}/users`, { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` })).status).toBe(401);
      expect((await call(server, 'GET', `${S}/users`, { authorization: 'Digest abc' })).status).toBe(401);
    });

    it('a bad Bearer token is 401 even on a public endpoint', async () => {
      const res = await call(server, 'GET', `${S}/auth/session`, { authorization: 'Bearer rst_not-a-token' });
      expect(res.status).toBe(401);
      expect(res.body.error_code).toBe('UNAUTHENTICATED');
      expect((await call(server, 'GET', `${S}/auth/session`)).body).toMatchObject({ mode: 'team', user: null });
    });
  });

  describe('the sign-in rate limit', () => {
    let server: TestServer;
    let clock = Date.UTC(2026, 0, 1);
    beforeAll(async () => {
      server = await testServer(backend, () => clock, { auth: 'team', signInAttempts: 3, authProxyTrusted: ['127.0.0.1'] });
      for (const name of ['victim', 'other', 'regular', 'basic', 'window']) await addUser(server, name, 'reader', `${name}-password`);
    });
    afterAll(() => server?.close());

    const attempt = (name: string, password: string, remoteAddress?: string) => call(server, 'POST', `${S}/auth/sign-in`, {}, { name, password }, remoteAddress);

    it('refuses the attempt after signInAttempts failures for one user from one address with 429, even with the right password; another name is still tried', async () => {
      for (let i = 0; i < 3; i += 1) expect((await attempt('victim', `wrong-${i}-pw`)).status).toBe(401);
      const limited = await attempt('victim', 'victim-password');
      expect(limited.status).toBe(429);
      expect(limited.body.error_code).toBe('REQUEST_LIMIT_EXCEEDED');
      expect(limited.text).not.toContain('victim-password');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // The name is the key's, case and spaces aside.
      expect((await attempt(' VICTIM ', 'victim-password')).status).toBe(429);
      expect((await attempt('other', 'other-password')).status).toBe(200);
      // Another address has its own count.
      expect((await attempt('victim', 'victim-password', '127.0.0.2')).status).toBe(200);
    });

    it('counts guesses sent at once before checking them: no more than the limit are ever checked', async () => {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt('victim', `together-${i}-pw`, '10.1.1.1')));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
      expect((await attempt('victim', 'victim-password', '10.1.1.1')).status).toBe(429);
    });

    it('limits one address across user names too (five times the per-name limit)', async () => {
      for (let i = 0; i < 15; i += 1) expect((await attempt(`nobody-${i}`, 'some-password', '10.2.2.2')).status).toBe(401);
      const limited = await attempt('nobody-15', 'some-password', '10.2.2.2');
      expect(limited.status).toBe(429);
      expect(limited.body.message).toContain('this address');
      expect((await attempt('nobody-15', 'some-password', '10.2.2.3')).status).toBe(401);
    });

    it('counts failed sign-ins only: signing in often is not guessing', async () => {
      for (let i = 0; i < 5; i += 1) expect((await attempt('regular', 'regular-password')).status).toBe(200);
      expect((await attempt('regular', 'wrong-password')).status).toBe(401);
      expect((await attempt('regular', 'regular-password')).status).toBe(200);
    });

    it('counts basic-auth guesses with the same budget, so they cannot go around it', async () => {
      for (let i = 0; i < 3; i += 1) expect((await call(server, 'GET', `${S}/views`, basic('basic', `guess-${i}-pw`))).status).toBe(401);
      const limited = await call(server, 'GET', `${S}/views`, basic('basic', 'basic-password'));
      expect(limited.status).toBe(429);
      expect(limited.body.error_code).toBe('REQUEST_LIMIT_EXCEEDED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await attempt('basic', 'basic-password')).status).toBe(429);
      expect((await call(server, 'GET', `${S}/views`, basic('other', 'other-password'))).status).toBe(200);
    });

    it("behind the trusted proxy counts per client (X-Forwarded-For); a client cannot pick its address through an untrusted peer", async () => {
      const viaProxy = (name: string, password: string, client: string, peer?: string) => call(server, 'POST', `${S}/auth/sign-in`, { 'x-forwarded-for': client }, { name, password }, peer);
      for (let i = 0; i < 3; i += 1) expect((await viaProxy('other', `wrong-${i}-pw`, '203.0.113.7')).status).toBe(401);
      expect((await viaProxy('other', 'other-password', '203.0.113.7')).status).toBe(429);
      expect((await viaProxy('other', 'other-password', '203.0.113.8')).status).toBe(200);
      // From a peer that is not the proxy the header is ignored: the peer's own count applies.
      for (let i = 0; i < 3; i += 1) expect((await viaProxy('other', `wrong-${i}-pw`, `198.51.100.${i}`, '192.0.2.1')).status).toBe(401);
      expect((await viaProxy('other', 'other-password', '198.51.100.99', '192.0.2.1')).status).toBe(429);
    });

    it('lets the user try again once the window has passed', async () => {
      for (let i = 0; i < 3; i += 1) expect((await attempt('window', `wrong-${i}-pw`)).status).toBe(401);
      expect((await attempt('window', 'window-password')).status).toBe(429);
      clock += 15 * 60 * 1000 + 1;
      expect((await attempt('window', 'window-password')).status).toBe(200);
    });
  });

  describe('with a clock', () => {
    let server: TestServer;
    let clock = Date.UTC(2026, 0, 1);
    let admin: TestUser;
    let rita: TestUser;
    beforeAll(async () => {
      server = await testServer(backend, () => clock, { auth: 'team', sessionTtlMs: 3_600_000 });
      admin = await addUser(server, 'root', 'admin', 'root-password');
      rita = await addUser(server, 'rita', 'reader', 'rita-password');
    });
    afterAll(() => server?.close());

    it('a session ends after sessionTtlMs', async () => {
      const { cookie } = await signIn(server, 'rita', 'rita-password');
      clock += 3_599_000;
      expect((await call(server, 'GET', `${S}/auth/session`, { cookie })).body.user).toMatchObject({ name: 'rita' });
      clock += 2000;
      expect((await call(server, 'GET', `${S}/auth/session`, { cookie })).body).toMatchObject({ user: null });
      expect((await call(server, 'GET', `${S}/views`, { cookie })).status).toBe(401);
    });

    it('a token works as Bearer and as a basic-auth password, lists by prefix only, and stops at its expiry or when revoked', async () => {
      const ritaPage = await onPage(server, rita, 'rita-password');
      const created = await callAs(server, ritaPage, 'POST', `${S}/tokens`, { name: 'laptop', expiresInDays: 2 });
      expect(created.status).toBe(201);
      const { secret, token } = created.body as { secret: string; token: { id: string; prefix: string; expiresAt: number } };
      expect(secret).toMatch(/^rst_/);
      expect(token.expiresAt).toBe(clock + 2 * DAY);
      expect(secret.startsWith(token.prefix)).toBe(true);

      const bearer = await call(server, 'GET', `${S}/auth/session`, { authorization: `Bearer ${secret}` });
      expect(bearer.body).toMatchObject({ user: { name: 'rita' }, via: 'token', csrfToken: null });
      // An MLflow client with only MLFLOW_TRACKING_PASSWORD set sends the token as a password.
      expect((await call(server, 'GET', `${S}/auth/session`, basic('anything', secret))).body).toMatchObject({ user: { name: 'rita' }, via: 'token' });

      const list = await callAs(server, rita, 'GET', `${S}/tokens`);
      expect(list.body.tokens.map((t: { name: string }) => t.name).sort()).toEqual(['laptop', 'test']);
      expect(JSON.stringify(list.body)).not.toContain(secret);
      expect(JSON.stringify(list.body)).not.toContain(rita.token);
      expect(list.body.tokens.find((t: { name: string }) => t.name === 'laptop')).toMatchObject({ prefix: token.prefix, user: 'rita', lastUsedAt: clock });

      clock += 2 * DAY;
      const expired = await call(server, 'GET', `${S}/views`, { authorization: `Bearer ${secret}` });
      expect(expired.status).toBe(401);
      expect(expired.body.message).toMatch(/expired/);
      clock -= 2 * DAY;

      expect((await callAs(server, rita, 'DELETE', `${S}/tokens/${token.id}`)).status).toBe(200);
      const revoked = await call(server, 'GET', `${S}/views`, { authorization: `Bearer ${secret}` });
      expect(revoked.status).toBe(401);
      expect(revoked.body.message).toMatch(/not valid/);
    });

    it('a token is made on a signed-in page, by its owner: not by another token, nor by an admin for someone else', async () => {
      const byToken = await callAs(server, rita, 'POST', `${S}/tokens`, { name: 'minted' });
      expect(byToken.status).toBe(403);
      expect(byToken.body.message).toContain('runstudio tokens create');
      const adminPage = await onPage(server, admin, 'root-password');
      const forRita = await callAs(server, adminPage, 'POST', `${S}/tokens`, { name: 'for-rita', user: 'rita' });
      expect(forRita.status).toBe(403);
      expect((await callAs(server, adminPage, 'GET', `${S}/tokens?all=true`)).body.tokens.map((t: { name: string }) => t.name)).not.toContain('minted');
    });

    it("only admins see everyone's tokens and revoke another's; to others it does not exist", async () => {
      const { body } = await callAs(server, await onPage(server, rita, 'rita-password'), 'POST', `${S}/tokens`, { name: 'rita-own' });
      expect(body.token.user).toBe('rita');
      const mine = await callAs(server, await onPage(server, admin, 'root-password'), 'POST', `${S}/tokens`, { name: 'admin-own' });

      const all = await callAs(server, rita, 'GET', `${S}/tokens?all=true`);
      expect(all.status).toBe(403);
      expect(all.body.error_code).toBe('PERMISSION_DENIED');
      const forOther = await callAs(server, await onPage(server, rita, 'rita-password'), 'POST', `${S}/tokens`, { name: 'sneaky', user: 'root' });
      expect(forOther.status).toBe(403);
      const notHers = await callAs(server, rita, 'DELETE', `${S}/tokens/${mine.body.token.id}`);
      expect(notHers.status).toBe(404);
      expect((await call(server, 'GET', `${S}/auth/session`, { authorization: `Bearer ${mine.body.secret}` })).body.user.name).toBe('root');

      const everyone = await callAs(server, admin, 'GET', `${S}/tokens?all=true`);
      expect(new Set(everyone.body.tokens.map((t: { user: string }) => t.user))).toEqual(new Set(['root', 'rita']));
      expect((await callAs(server, admin, 'GET', `${S}/tokens`)).body.tokens.every((t: { user: string }) => t.user === 'root')).toBe(true);
      expect((await callAs(server, admin, 'DELETE', `${S}/tokens/${body.token.id}`)).status).toBe(200);
      expect((await call(server, 'GET', `${S}/views`, { authorization: `Bearer ${body.secret}` })).status).toBe(401);
    });
  });

  describe('users', () => {
    let server: TestServer;
    let admin: TestUser;
    beforeAll(async () => {
      server = await teamServer(backend);
      admin = await addUser(server, 'root', 'admin');
    });
    afterAll(() => server?.close());

    it('an admin creates, updates and removes users; a removed user is signed out everywhere', async () => {
      const created = await callAs(server, admin, 'POST', `${S}/users`, { name: 'bea', password: 'bea-password' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'bea', role: 'reader', hasPassword: true });
      const session = await signIn(server, 'bea', 'bea-password');
      expect((await call(server, 'GET', `${S}/auth/session`, { cookie: session.cookie })).body.user.role).toBe('reader');
      const promoted = await callAs(server, admin, 'PATCH', `${S}/users/bea`, { role: 'contributor' });
      expect(promoted.body).toMatchObject({ name: 'bea', role: 'contributor' });
      // The role is read on every request: the same session is a contributor now.
      expect((await call(server, 'GET', `${S}/auth/session`, { cookie: session.cookie })).body.user.role).toBe('contributor');

      expect((await callAs(server, admin, 'DELETE', `${S}/users/bea`)).status).toBe(200);
      expect((await callAs(server, admin, 'GET', `${S}/users`)).body.users.map((u: { name: string }) => u.name)).toEqual(['root']);
      expect((await call(server, 'GET', `${S}/views`, { cookie: session.cookie })).status).toBe(401);
      expect((await call(server, 'GET', `${S}/views`, basic('bea', 'bea-password'))).status).toBe(401);
      expect((await callAs(server, admin, 'DELETE', `${S}/users/bea`)).status).toBe(404);
      expect((await callAs(server, admin, 'PATCH', `${S}/users/bea`, { role: 'admin' })).status).toBe(404);
    });

    it("a removed user's API token stops working", async () => {
      const gone = await addUser(server, 'gone', 'contributor');
      expect((await callAs(server, gone, 'GET', `${S}/views`)).status).toBe(200);
      await callAs(server, admin, 'DELETE', `${S}/users/gone`);
      expect((await callAs(server, gone, 'GET', `${S}/views`)).status).toBe(401);
    });

    it('the last admin can be neither demoted nor removed; with a second admin both can', async () => {
      const demote = await callAs(server, admin, 'PATCH', `${S}/users/root`, { role: 'contributor' });
      expect(demote.status).toBe(400);
      expect(demote.body).toMatchObject({ error_code: 'INVALID_STATE', message: expect.stringContaining('last admin') });
      const remove = await callAs(server, admin, 'DELETE', `${S}/users/root`);
      expect(remove.body.error_code).toBe('INVALID_STATE');
      expect((await callAs(server, admin, 'GET', `${S}/auth/session`)).body.user.role).toBe('admin');

      const second = await addUser(server, 'second', 'admin');
      expect((await callAs(server, second, 'PATCH', `${S}/users/root`, { role: 'reader' })).body.role).toBe('reader');
      const last = await callAs(server, second, 'DELETE', `${S}/users/second`);
      expect(last.body.error_code).toBe('INVALID_STATE');
      expect((await callAs(server, second, 'PATCH', `${S}/users/root`, { role: 'admin' })).status).toBe(200);
    });

    // users.service checks "the last admin" outside the transaction that changes the role.
    it.each([
      ['demoting', 'PATCH', { role: 'reader' }],
      ['removing', 'DELETE', undefined],
    ] as const)('two admins %s each other at once still leave an admin', async (_what, method, payload) => {
      const fresh = await teamServer(backend);
      try {
        const a = await addUser(fresh, 'a', 'admin');
        const b = await addUser(fresh, 'b', 'admin');
        await Promise.all([callAs(fresh, a, method, `${S}/users/b`, payload), callAs(fresh, b, method, `${S}/users/a`, payload)]);
        const admins = await fresh.db.kysely.selectFrom('users').select('name').where('role', '=', 'admin').execute();
        expect(admins).toHaveLength(1);
      } finally {
        await fresh.close();
      }
    });

    it('a duplicate name is RESOURCE_ALREADY_EXISTS; a bad name or short password is a 400 naming the field', async () => {
      expect((await callAs(server, admin, 'POST', `${S}/users`, { name: 'dup' })).status).toBe(201);
      const dup = await callAs(server, admin, 'POST', `${S}/users`, { name: 'dup' });
      expect(dup.status).toBe(400);
      expect(dup.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
      for (const name of ['has space', '', 'x'.repeat(65), 'semi;colon']) {
        const res = await callAs(server, admin, 'POST', `${S}/users`, { name });
        expect(res.status, name).toBe(400);
        expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
        expect(res.body.message).toContain('name');
      }
      const short = await callAs(server, admin, 'POST', `${S}/users`, { name: 'shorty', password: 'short' });
      expect(short.status).toBe(400);
      expect(short.body.message).toContain('password');
      expect(JSON.stringify(short.body)).not.toContain('"short"');
      const badRole = await callAs(server, admin, 'POST', `${S}/users`, { name: 'roley', role: 'owner' });
      expect(badRole.status).toBe(400);
      expect(badRole.body.message).toContain('role');
      const patchShort = await callAs(server, admin, 'PATCH', `${S}/users/dup`, { password: 'tiny' });
      expect(patchShort.status).toBe(400);
      expect(patchShort.body.message).toContain('password');
    });
  });

  describe("a signing-in proxy's header", () => {
    const servers: TestServer[] = [];
    afterEach(async () => {
      await Promise.all(servers.splice(0).map((s) => s.close()));
    });
    const open = async (options: Parameters<typeof teamServer>[1]) => {
      const server = await teamServer(backend, options);
      servers.push(server);
      return server;
    };

    it('from a trusted address signs the user in, creating them with authProxyRole; its writes need the CSRF token', async () => {
      const server = await open({ authProxyHeader: 'X-Forwarded-User', authProxyTrusted: ['127.0.0.1'], authProxyRole: 'contributor' });
      const session = await call(server, 'GET', `${S}/auth/session`, { 'x-forwarded-user': 'pia' });
      expect(session.body).toMatchObject({ mode: 'team', user: { name: 'pia', role: 'contributor' }, via: 'proxy', csrfToken: expect.any(String) });
      const admin = await addUser(server, 'root', 'admin');
      expect((await callAs(server, admin, 'GET', `${S}/users`)).body.users.find((u: { name: string }) => u.name === 'pia')).toMatchObject({ role: 'contributor', hasPassword: false });

      const write = (headers: Record<string, string>) => call(server, 'POST', '/api/2.0/mlflow/experiments/create', { 'x-forwarded-user': 'pia', ...headers }, { name: `e-${Object.keys(headers).length}` });
      const without = await write({});
      expect(without.status).toBe(403);
      expect(without.body.message).toContain('CSRF');
      expect((await write({ 'x-csrf-token': session.body.csrfToken as string })).status).toBe(200);
      // An invalid name in the header is a 401, not a new user.
      expect((await call(server, 'GET', `${S}/auth/session`, { 'x-forwarded-user': 'no spaces allowed' })).status).toBe(401);
    });

    it('is ignored when no header is configured', async () => {
      const server = await open({});
      expect((await call(server, 'GET', `${S}/auth/session`, { 'x-forwarded-user': 'pia' })).body).toMatchObject({ user: null });
      expect((await call(server, 'GET', `${S}/views`, { 'x-forwarded-user': 'pia' })).status).toBe(401);
    });

    it('X-Forwarded-Proto from an address that is not trusted does not make the cookie Secure', async () => {
      const server = await open({ authProxyTrusted: ['10.9.9.9'] });
      await addUser(server, 'ana', 'reader', 'ana-password');
      expect((await signIn(server, 'ana', 'ana-password', { 'x-forwarded-proto': 'https' })).setCookie).not.toMatch(/; Secure/);
    });

    it('is ignored from an address that is not trusted', async () => {
      const server = await open({ authProxyHeader: 'X-Forwarded-User', authProxyTrusted: ['10.9.9.9'], authProxyRole: 'admin' });
      expect((await call(server, 'GET', `${S}/auth/session`, { 'x-forwarded-user': 'mallory' })).body).toMatchObject({ user: null });
      expect((await call(server, 'GET', `${S}/users`, { 'x-forwarded-user': 'mallory' })).status).toBe(401);
      expect((await call(server, 'GET', `${S}/auth/session`, { 'x-forwarded-user': 'pia' }, undefined, '10.9.9.9')).body).toMatchObject({ user: { name: 'pia', role: 'admin' }, via: 'proxy' });
    });

    it('takes a range of proxy addresses, as an ingress in a cluster needs', async () => {
      const server = await open({ authProxyHeader: 'X-Forwarded-User', authProxyTrusted: ['10.0.0.0/8'] });
      expect((await call(server, 'GET', `${S}/auth/session`, { 'x-forwarded-user': 'kube' }, undefined, '10.1.2.3')).body).toMatchObject({ user: { name: 'kube' }, via: 'proxy' });
      expect((await call(server, 'GET', `${S}/auth/session`, { 'x-forwarded-user': 'kube' }, undefined, '11.1.2.3')).body).toMatchObject({ user: null });
    });
  });

  describe('local mode', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await testServer(backend, undefined, { localUser: 'ada' });
    });
    afterAll(() => server?.close());

    it('the session is the local user, an admin, with no sign-in and no CSRF token', async () => {
      const res = await call(server, 'GET', `${S}/auth/session`);
      expect(res.body).toEqual({ mode: 'local', user: { id: 'local', name: 'ada', role: 'admin' }, via: 'local', csrfToken: null });
      const signIn = await call(server, 'POST', `${S}/auth/sign-in`, {}, { name: 'x', password: 'y' });
      expect(signIn.body).toMatchObject({ mode: 'local', user: { name: 'ada' } });
      expect(signIn.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('logs', () => {
    let server: Awaited<ReturnType<typeof buildApp>>;
    let cleanup: () => Promise<void>;
    let blobDir: string;
    beforeAll(async () => {
      const store = await openTestDb(backend);
      blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-blobs-'));
      server = await buildApp({ db: store.db, blobDir, webRoot: null, logger: true, options: { auth: 'team' } });
      await addUser({ db: store.db }, 'loggy', 'admin', 'loggy-password');
      cleanup = async () => {
        await server.close();
        await store.cleanup();
        fs.rmSync(blobDir, { recursive: true, force: true });
      };
    });
    afterAll(() => cleanup?.());

    it('hold no password or token, on sign-in, basic auth or a Bearer token', async () => {
      const app = { app: server };
      logged.lines.length = 0;
      const stderr = vi.spyOn(process.stderr, 'write');
      try {
        await call(app, 'POST', `${S}/auth/sign-in`, {}, { name: 'loggy', password: 'wrong-secret-pw' });
        await call(app, 'POST', `${S}/auth/sign-in`, {}, { name: 'loggy', password: 'loggy-password' });
        await call(app, 'GET', `${S}/users`, basic('loggy', 'loggy-password'));
        await call(app, 'GET', `${S}/users`, basic('loggy', 'basic-wrong-pw'));
        const token = await call(app, 'POST', `${S}/tokens`, basic('loggy', 'loggy-password'), { name: 'logged' });
        await call(app, 'GET', `${S}/users`, { authorization: `Bearer ${token.body.secret as string}` });
        expect(logged.lines.length).toBeGreaterThan(5);
        const everything = [...logged.lines, ...stderr.mock.calls.map((c) => String(c[0]))].join('\n');
        for (const secret of ['wrong-secret-pw', 'loggy-password', 'basic-wrong-pw', token.body.secret as string, Buffer.from('loggy:loggy-password').toString('base64')]) {
          expect(everything).not.toContain(secret);
        }
      } finally {
        stderr.mockRestore();
      }
    });
  });
});
