import type * as FastifyModule from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { allEndpoints, apiBases, endpoints, type EndpointDef } from '../../shared/api/index.js';
import { roles, roleAtLeast, type Role } from '../../shared/studio/auth.js';
import { backends, testServer, type TestServer } from '../test-support/backends.js';
import { addUser, signIn, teamServer, type TestUser } from '../test-support/team.js';

// Every route each server registers, recorded by an onRoute hook on the instance buildApp
// makes, so the table's completeness is checked against what Fastify really serves.
const registered = vi.hoisted(() => new Map<object, Array<{ method: string; url: string }>>());
vi.mock('fastify', async (importOriginal) => {
  const actual = await importOriginal<typeof FastifyModule>();
  const make = (options: FastifyServerOptions = {}) => {
    const app = actual.default(options) as unknown as FastifyInstance;
    const routes: Array<{ method: string; url: string }> = [];
    registered.set(app, routes);
    app.addHook('onRoute', (r) => {
      for (const method of [r.method].flat()) routes.push({ method, url: r.url });
    });
    return app;
  };
  return { ...actual, default: make };
});

const RUN_ID = '0123456789abcdef0123456789abcdef';

/** The endpoint's path with placeholders: a run id for `:id` of run paths, 'x' for other params, a file path for `*`. */
function fill(e: EndpointDef): string {
  return e.path.replace(/:(\w+)|\*$/g, (_m, name: string | undefined) => {
    if (name === undefined) return 'dir/file.txt';
    return name === 'id' && e.path.startsWith('/runs/') ? RUN_ID : 'x';
  });
}

/**
 * One request per endpoint and base, shaped so the auth plugin decides first and the handler
 * (when allowed) ends quickly: the body type the guard wants, `{}` for JSON, and for the
 * one stream that would stay open for an allowed caller, an invalid query (400).
 */
interface Case {
  name: string;
  endpoint: EndpointDef;
  method: EndpointDef['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

const cases: Case[] = allEndpoints.flatMap((e) =>
  apiBases[e.base].map((base): Case => {
    let url = `${base}${fill(e)}`;
    if (e.kind === 'sse' && !e.path.includes(':id')) url += '?after=not-a-number';
    const accepts = e.accepts ?? 'json';
    const writes = e.method !== 'GET';
    const withBody = writes && e.method !== 'DELETE';
    const contentType = accepts === 'octet-stream' ? 'application/octet-stream' : accepts === 'any' ? 'text/plain' : 'application/json';
    return {
      name: `${e.method} ${base}${e.path} (${e.access})`,
      endpoint: e,
      method: e.method,
      url,
      headers: withBody ? { 'content-type': contentType } : {},
      ...(withBody ? { payload: accepts === 'json' ? '{}' : 'x' } : {}),
    };
  }),
);

async function send(app: FastifyInstance, c: Case, user: TestUser | null) {
  const res = await app.inject({ method: c.method, url: c.url, headers: { ...c.headers, ...(user?.headers ?? {}) }, ...(c.payload === undefined ? {} : { payload: c.payload }) });
  const body = res.headers['content-type']?.toString().startsWith('application/json') ? res.json<{ error_code?: string; message?: string }>() : {};
  return { status: res.statusCode, body, headers: res.headers };
}

/** Neither the 401 nor any 403 of the auth plugin: the role check let the caller through. */
function expectAllowed(c: Case, who: string, res: Awaited<ReturnType<typeof send>>) {
  const why = `${who} on ${c.name}: ${res.status} ${JSON.stringify(res.body)}`;
  expect(res.status, why).not.toBe(401);
  expect(res.status, why).not.toBe(403);
}

describe('the endpoint table', () => {
  it('names an access rule for every endpoint', () => {
    for (const e of allEndpoints) expect(['public', ...roles], `${e.method} ${e.path}`).toContain(e.access);
  });
});

describe.each(backends())('access matrix on a team-mode server (%s)', (backend) => {
  let server: TestServer;
  const users = {} as Record<Role, TestUser>;
  beforeAll(async () => {
    server = await teamServer(backend);
    for (const role of roles) users[role] = await addUser(server, `the-${role}`, role);
  });
  afterAll(() => server?.close());

  it('serves every endpoint of the table under each of its bases, and no /api route outside it', () => {
    const key = (method: string, url: string) => `${method} ${url}`;
    const underApi = (url: string) => url.startsWith('/api/') || url.startsWith('/ajax-api/');
    const served = registered.get(server.app)!.filter((r) => r.method !== 'HEAD' && underApi(r.url));
    const table = new Set(allEndpoints.flatMap((e) => apiBases[e.base].map((base) => key(e.method, `${base}${e.path}`))));
    const servedKeys = new Set(served.map((r) => key(r.method, r.url)));
    expect(servedKeys.size).toBeGreaterThan(100);
    expect([...table].filter((k) => !servedKeys.has(k))).toEqual([]);
    expect([...servedKeys].filter((k) => !table.has(k))).toEqual([]);
    for (const e of allEndpoints) {
      for (const base of apiBases[e.base]) expect(server.app.hasRoute({ method: e.method, url: `${base}${e.path}` }), `${e.method} ${base}${e.path}`).toBe(true);
    }
  });

  it.each(cases)('$name', async (c) => {
    const anonymous = await send(server.app, c, null);
    if (c.endpoint.access === 'public') expectAllowed(c, 'anonymous', anonymous);
    else {
      expect(anonymous.status, JSON.stringify(anonymous.body)).toBe(401);
      expect(anonymous.body.error_code).toBe('UNAUTHENTICATED');
      expect(anonymous.body.message).toContain('needs a signed-in user');
      expect(anonymous.headers['www-authenticate']).toContain('Bearer');
      // Fastify answers HEAD on every GET route: the same rule must hold there.
      if (c.method === 'GET') expect((await server.app.inject({ method: 'HEAD', url: c.url })).statusCode).toBe(401);
    }
    for (const role of roles) {
      const res = await send(server.app, c, users[role]);
      const access = c.endpoint.access;
      if (access === 'public' || roleAtLeast(role, access)) {
        expectAllowed(c, role, res);
      } else {
        expect(res.status, `${role} on ${c.name}: ${JSON.stringify(res.body)}`).toBe(403);
        expect(res.body.error_code).toBe('PERMISSION_DENIED');
        expect(res.body.message).toContain(`the-${role} is a ${role}`);
        expect(res.body.message).toContain(`needs the ${access} role`);
      }
    }
  });
});

describe.each(backends())('access matrix on a local-mode server (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer(backend, undefined, { localUser: 'ada' });
  });
  afterAll(() => server?.close());

  it.each(cases)('$name is open to an anonymous caller', async (c) => {
    expectAllowed(c, 'anonymous', await send(server.app, c, null));
  });
});

describe.each(backends())('CSRF on a team-mode server (%s)', (backend) => {
  let server: TestServer;
  let cathy: TestUser;
  let signedInAdmin: Awaited<ReturnType<typeof signIn>> | undefined;
  const signInAdmin = async () => {
    await addUser(server, 'root', 'admin', 'root-password');
    return signIn(server, 'root', 'root-password');
  };
  beforeAll(async () => {
    server = await teamServer(backend);
    cathy = await addUser(server, 'cathy', 'contributor', 'cathy-password');
  });
  afterAll(() => server?.close());

  const create = (name: string, headers: Record<string, string>) =>
    server.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ name }) });

  it('refuses a cookie-signed write without the session CSRF token and takes it with the token', async () => {
    const session = await signIn(server, 'cathy', 'cathy-password');
    const without = await create('no-token', { cookie: session.cookie });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ error_code: 'PERMISSION_DENIED', message: expect.stringContaining('CSRF') });
    const wrong = await create('wrong-token', { cookie: session.cookie, 'x-csrf-token': 'forged' });
    expect(wrong.statusCode).toBe(403);

    const state = await server.app.inject({ method: 'GET', url: '/api/studio/auth/session', headers: { cookie: session.cookie } });
    expect(state.json()).toMatchObject({ mode: 'team', via: 'session', user: { name: 'cathy', role: 'contributor' } });
    const csrf = state.json<{ csrfToken: string }>().csrfToken;
    expect(csrf).toBe(session.csrfToken);
    const withToken = await create('with-token', { cookie: session.cookie, 'x-csrf-token': csrf });
    expect(withToken.statusCode, withToken.body).toBe(200);
    // A read needs no token.
    expect((await server.app.inject({ method: 'GET', url: '/api/2.0/mlflow/experiments/get-by-name?experiment_name=with-token', headers: { cookie: session.cookie } })).statusCode).toBe(200);
  });

  it("a token from another session is not this session's", async () => {
    const one = await signIn(server, 'cathy', 'cathy-password');
    const two = await signIn(server, 'cathy', 'cathy-password');
    expect(one.csrfToken).not.toBe(two.csrfToken);
    expect((await create('crossed', { cookie: one.cookie, 'x-csrf-token': two.csrfToken })).statusCode).toBe(403);
  });

  it.each(cases.filter((c) => c.method !== 'GET'))('$name with a session cookie needs the CSRF token', async (c) => {
    const admin = signedInAdmin ?? (signedInAdmin = await signInAdmin());
    const res = await server.app.inject({ method: c.method, url: c.url, headers: { ...c.headers, cookie: admin.cookie }, ...(c.payload === undefined ? {} : { payload: c.payload }) });
    if (c.endpoint === endpoints.auth.signIn) {
      // The one write a page makes before it has a token.
      expect(res.statusCode, res.body).not.toBe(403);
      return;
    }
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json<{ message: string }>().message).toContain('CSRF');
  });

  it('a Bearer write needs no CSRF token', async () => {
    const res = await create('bearer', cathy.headers);
    expect(res.statusCode, res.body).toBe(200);
  });
});
