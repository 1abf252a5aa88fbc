import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Role } from '../../shared/studio/auth.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { insertUser } from '../../server/store/users.store.js';
import { cookieJar } from './cookie-jar.js';
import type { WebTestServer } from './server.js';

/** The password of every user seeded here. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** A user of a team server (`startTestServer({ auth: 'team' })`), stored directly: no admin needed first. */
export async function seedUser(server: WebTestServer, name: string, role: Role, email: string | null = null): Promise<void> {
  const inserted = await insertUser(server.db, { id: randomUUID(), name, role, password_hash: await hashPassword(TEST_PASSWORD), created_at: Date.now(), email });
  expect(inserted, `user ${name} already exists`).toBe(true);
}

/**
 * The server as `name` calls it, with basic auth (as an MLflow client with a user name and
 * password does): for seeding through the API of a team server, e.g. `seedRun(asUser(...), …)`.
 */
export function asUser(server: WebTestServer, name: string): WebTestServer {
  const authorization = `Basic ${Buffer.from(`${name}:${TEST_PASSWORD}`).toString('base64')}`;
  type InjectOptions = { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; headers?: Record<string, string>; payload?: object | string | Buffer };
  const inject = (options: InjectOptions) => server.app.inject({ ...options, headers: { ...options.headers, authorization } });
  // Only `inject` differs; everything else is the server's own (called on it, not on the proxy).
  const app = new Proxy(server.app, { get: (target, key) => (key === 'inject' ? inject : Reflect.get(target, key, target)) });
  async function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
    const response = await inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.json<Record<string, any>>() };
  }
  return { ...server, app, post: (url: string, payload: unknown) => call('POST', url, payload), get: (url: string) => call('GET', url) };
}

/** Signs this browser in as `name`: the session cookie goes with the app's every request until the test ends. */
export async function signInAs(server: WebTestServer, name: string): Promise<void> {
  const res = await server.app.inject({ method: 'POST', url: '/api/studio/auth/sign-in', payload: { name, password: TEST_PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  cookieJar.keepLines([res.headers['set-cookie'] ?? []].flat());
}
