import type { Role } from '../../shared/studio/auth.js';
import type { ServerOptions } from '../options.js';
import { issueToken } from '../services/tokens.service.js';
import { createUser, requireUser } from '../services/users.service.js';
import { testServer, type Backend, type TestServer } from './backends.js';

/** A signed-in user of a team-mode test server: their name and the headers of their API token. */
export interface TestUser {
  name: string;
  role: Role;
  token: string;
  headers: Record<string, string>;
}

/** A team-mode server (`--auth`) on a fresh store. */
export const teamServer = (backend: Backend, options: Partial<ServerOptions> = {}) => testServer(backend, undefined, { auth: 'team', ...options });

/** Adds a user (with a password when given; hashing one takes ~0.1 s) and an API token for them. */
export async function addUser(server: Pick<TestServer, 'db'>, name: string, role: Role, password?: string): Promise<TestUser> {
  const ctx = { db: server.db, now: Date.now };
  await createUser(ctx, { name, role, ...(password ? { password } : {}) });
  const { secret } = await issueToken(ctx, await requireUser(ctx, name), 'test', null);
  return { name, role, token: secret, headers: { authorization: `Bearer ${secret}` } };
}

/** `inject` as a user (or anonymously with null), answering status and JSON body. */
export async function callAs(server: Pick<TestServer, 'app'>, user: TestUser | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  const res = await server.app.inject({ method, url, headers: user ? user.headers : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json<Record<string, any>>(), headers: res.headers };
}

/** Signs in with a password as a page does: the session cookie (`rs_session=…`) and the CSRF token its writes carry. */
export async function signIn(server: Pick<TestServer, 'app'>, name: string, password: string, headers: Record<string, string> = {}) {
  const res = await server.app.inject({ method: 'POST', url: '/api/studio/auth/sign-in', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ name, password }) });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${name} failed: ${res.statusCode} ${res.body}`);
  const setCookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('rs_session='));
  if (!setCookie) throw new Error(`sign-in as ${name} set no session cookie`);
  return { cookie: setCookie.split(';')[0]!, setCookie, csrfToken: res.json<{ csrfToken: string }>().csrfToken };
}

/** The same user signed in on a page: their requests carry the session cookie and its CSRF token instead of the API token. */
export async function onPage(server: Pick<TestServer, 'app'>, user: TestUser, password: string): Promise<TestUser> {
  const { cookie, csrfToken } = await signIn(server, user.name, password);
  return { ...user, headers: { cookie, 'x-csrf-token': csrfToken } };
}
