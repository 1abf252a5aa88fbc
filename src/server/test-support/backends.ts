import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../app.js';
import type { ServerOptions } from '../options.js';
import { openDb, type Db } from '../store/db.js';

export type Backend = 'sqlite' | 'postgres';

const pgUrl = process.env.RUNSTUDIO_TEST_DATABASE_URL;

/**
 * The stores every server test runs against: SQLite always; PostgreSQL when
 * RUNSTUDIO_TEST_DATABASE_URL is set. With CI=true a missing URL is an error, not a skip.
 */
export function backends(): Backend[] {
  if (pgUrl) return ['sqlite', 'postgres'];
  if (process.env.CI === 'true') {
    throw new Error('CI=true but RUNSTUDIO_TEST_DATABASE_URL is not set: the PostgreSQL tests must run in CI.');
  }
  console.warn('PostgreSQL tests not run: set RUNSTUDIO_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them.');
  return ['sqlite'];
}

export interface TestDb {
  db: Db;
  cleanup(): Promise<void>;
}

/** A fresh store: a new SQLite file in a temp dir, or a new schema in the test database. */
export async function openTestDb(backend: Backend): Promise<TestDb> {
  if (backend === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-test-'));
    const db = await openDb({ kind: 'sqlite', file: path.join(dir, 'runstudio.db') });
    return {
      db,
      cleanup: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  // Dropped by global-setup.ts after the whole run, never while other files migrate.
  const schema = `rs_test_${process.env.RUNSTUDIO_TEST_RUN ?? 'adhoc'}_${randomBytes(4).toString('hex')}`;
  const db = await openDb({ kind: 'postgres', url: pgUrl!, schema });
  return { db, cleanup: () => db.close() };
}

/** A server built on a fresh store, driven with `inject`; `api` posts or gets JSON. `options`: operator flags (options.ts). */
export async function testServer(backend: Backend, now?: () => number, options?: Partial<ServerOptions>) {
  const store = await openTestDb(backend);
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-blobs-'));
  const app = await buildApp({ db: store.db, blobDir, webRoot: null, ...(now ? { now } : {}), ...(options ? { options } : {}) });
  async function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
    const response = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.json<Record<string, any>>() };
  }
  return {
    app,
    db: store.db,
    post: (url: string, payload: unknown) => call('POST', url, payload),
    get: (url: string) => call('GET', url),
    blobDir,
    close: async () => {
      await app.close();
      await store.cleanup();
      fs.rmSync(blobDir, { recursive: true, force: true });
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof testServer>>;

export const ML = '/api/2.0/mlflow';

/** A server listening on a free loopback port, for clients that speak real HTTP. */
export async function listeningServer(backend: Backend, options?: Partial<ServerOptions>) {
  const server = await testServer(backend, undefined, options);
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { ...server, url: `http://127.0.0.1:${port}` };
}
