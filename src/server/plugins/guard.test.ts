import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEndpoints, endpointName, endpointPath } from '../../shared/api/index.js';
import { buildApp } from '../app.js';
import type { ServerOptions } from '../options.js';
import { backends, ML, openTestDb, type TestDb } from '../test-support/backends.js';

/** A server with some of the operator's flags set, driven with `inject`. */
async function guardedServer(backend: 'sqlite' | 'postgres', options: Partial<ServerOptions> = {}) {
  const store: TestDb = await openTestDb(backend);
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-guard-'));
  const app = await buildApp({ db: store.db, blobDir, webRoot: null, options });
  return {
    app,
    close: async () => {
      await app.close();
      await store.cleanup();
      fs.rmSync(blobDir, { recursive: true, force: true });
    },
  };
}

type Server = Awaited<ReturnType<typeof guardedServer>>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

function call(server: Server, method: Method, url: string, headers: Record<string, string> = {}, payload?: string | Buffer) {
  return server.app.inject({ method, url, headers: { host: '127.0.0.1:5000', ...headers }, ...(payload === undefined ? {} : { payload }) });
}
const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

async function newRun(server: Server): Promise<string> {
  const { headers, payload } = json({ experiment_id: '0', run_name: 'target' });
  const res = await call(server, 'POST', `${ML}/runs/create`, headers, payload);
  return res.json<{ run: { info: { run_id: string } } }>().run.info.run_id;
}
async function runState(server: Server, runId: string) {
  const res = await call(server, 'GET', `${ML}/runs/get?run_id=${runId}`);
  return res.json<{ run: { info: { lifecycle_stage: string; status: string }; data: { tags?: Array<{ key: string }> } } }>();
}

describe.each(backends())('the request guard on %s', (backend) => {
  let server: Server;
  beforeAll(async () => {
    server = await guardedServer(backend);
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers its own names and refuses any other Host, naming the flag (DNS rebinding)', async () => {
    for (const host of ['127.0.0.1:5000', 'localhost:5000', 'LOCALHOST', '[::1]:5000']) {
      expect((await call(server, 'GET', `${ML}/experiments/search?max_results=5`, { host })).statusCode, host).toBe(200);
    }
    for (const host of ['evil.example:5000', 'evil.example', '127.0.0.1.evil.example:5000', 'localhost.evil.example']) {
      const res = await call(server, 'GET', `${ML}/experiments/search?max_results=5`, { host });
      expect(res.statusCode, host).toBe(403);
      expect(res.json()).toMatchObject({ error_code: 'PERMISSION_DENIED' });
      expect(res.json().message).toContain('--allowed-hosts');
    }
    // A rebound page can neither read nor delete: the SPA and every API path are guarded alike.
    expect((await call(server, 'DELETE', '/api/studio/views/abc', { host: 'evil.example:5000' })).statusCode).toBe(403);
    expect((await call(server, 'GET', '/health', { host: 'evil.example:5000' })).statusCode).toBe(403);
  });

  it('refuses a foreign Origin on every write of the endpoint table, before reading its body', async () => {
    const writes = allEndpoints.filter((e) => e.method !== 'GET');
    expect(writes.map(endpointName)).toContain('PATCH /api/2.0/mlflow/logged-models/:model_id');
    for (const e of writes) {
      // Any value fills a path param: the guard answers before the route looks at it.
      const params = Object.fromEntries([...e.path.matchAll(/:(\w+)/g)].map((m) => [m[1]!, 'x']).concat(e.path.endsWith('*') ? [['*', 'x/y']] : []));
      const { headers, payload } = json({});
      const res = await call(server, e.method, endpointPath(e, params), { ...headers, origin: 'http://evil.example' }, payload);
      expect(res.statusCode, endpointName(e)).toBe(403);
    }
  });

  it('refuses a write from a foreign Origin, and nothing changes', async () => {
    const runId = await newRun(server);
    for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1:6000', 'https://127.0.0.1.evil.example:5000']) {
      const { headers, payload } = json({ run_id: runId });
      const res = await call(server, 'POST', `${ML}/runs/delete`, { ...headers, origin }, payload);
      expect(res.statusCode, origin).toBe(403);
      expect(res.json().message).toContain('--cors-allowed-origins');
    }
    expect((await runState(server, runId)).run.info.lifecycle_stage).toBe('active');
    // The server's own page writes.
    const { headers, payload } = json({ run_id: runId });
    expect((await call(server, 'POST', `${ML}/runs/delete`, { ...headers, origin: 'http://127.0.0.1:5000' }, payload)).statusCode).toBe(200);
    expect((await runState(server, runId)).run.info.lifecycle_stage).toBe('deleted');
  });

  it('reads no JSON from a "simple" cross-site body: text/plain, forms, or none at all', async () => {
    const runId = await newRun(server);
    const body = JSON.stringify({ run_id: runId, key: 'planted', value: 'x' });
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await call(server, 'POST', `${ML}/runs/set-tag`, { 'content-type': type }, body);
      expect(res.statusCode, type).toBe(415);
      expect(res.json()).toMatchObject({ error_code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(res.json().message).toContain('application/json');
    }
    expect((await runState(server, runId)).run.data.tags?.some((t) => t.key === 'planted')).toBeFalsy();
    // A bodiless POST must declare JSON too: a cross-site fetch without a body cancels nothing.
    const cancel = await call(server, 'POST', `/api/studio/runs/${runId}/cancel`);
    expect(cancel.statusCode).toBe(415);
    expect(cancel.json().message).toContain('none was given');
    expect((await runState(server, runId)).run.info.status).toBe('RUNNING');
    const ok = await call(server, 'POST', `/api/studio/runs/${runId}/cancel`, { 'content-type': 'application/json' });
    expect(ok.statusCode).toBe(200);
    expect((await runState(server, runId)).run.info.status).toBe('KILLED');
  });

  it('takes log appends only as application/octet-stream, and artifacts as the client sends them', async () => {
    const runId = await newRun(server);
    const log = (type: string) => call(server, 'POST', `/api/studio/runs/${runId}/logs/std_log.txt?offset=0`, { 'content-type': type }, 'planted line\n');
    expect((await log('text/plain')).statusCode).toBe(415);
    expect((await log('application/x-www-form-urlencoded')).json().message).toContain('application/octet-stream');
    expect((await log('application/octet-stream')).statusCode).toBe(200);
    // MLflow's client uploads with the file's guessed type; the bytes are stored, never parsed.
    const url = `/api/2.0/mlflow-artifacts/artifacts/0/${runId}/artifacts/notes.txt`;
    expect((await call(server, 'PUT', url, { 'content-type': 'text/plain' }, '{"not": "parsed"')).statusCode).toBe(200);
    expect((await call(server, 'GET', url)).body).toBe('{"not": "parsed"');
  });

  it('answers no CORS preflight for a foreign origin', async () => {
    const res = await call(server, 'OPTIONS', `${ML}/runs/delete`, { origin: 'http://evil.example', 'access-control-request-method': 'POST' });
    expect(res.statusCode).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the guard with the operator\'s flags', () => {
  it('--allowed-hosts adds names (with or without a port), and * accepts any', async () => {
    const server = await guardedServer('sqlite', { allowedHosts: ['studio.example.com', 'lab.example:8443'] });
    const status = async (host: string) => (await call(server, 'GET', '/health', { host })).statusCode;
    expect(await status('studio.example.com')).toBe(200);
    expect(await status('Studio.Example.com:443')).toBe(200);
    expect(await status('lab.example:8443')).toBe(200);
    expect(await status('lab.example:9000')).toBe(403);
    expect(await status('evil.example')).toBe(403);
    await server.close();
    const open = await guardedServer('sqlite', { allowedHosts: '*' });
    expect((await call(open, 'GET', '/health', { host: 'anything.example' })).statusCode).toBe(200);
    await open.close();
  });

  it('answers to the bound address, and to the machine\'s own names when bound to 0.0.0.0', async () => {
    const bound = await guardedServer('sqlite', { boundHost: '10.20.30.40' });
    expect((await call(bound, 'GET', '/health', { host: '10.20.30.40:5000' })).statusCode).toBe(200);
    expect((await call(bound, 'GET', '/health', { host: os.hostname() })).statusCode).toBe(403);
    await bound.close();
    const wildcard = await guardedServer('sqlite', { boundHost: '0.0.0.0' });
    expect((await call(wildcard, 'GET', '/health', { host: `${os.hostname()}:5000` })).statusCode).toBe(200);
    expect((await call(wildcard, 'GET', '/health', { host: 'evil.example:5000' })).statusCode).toBe(403);
    await wildcard.close();
  });

  it('--cors-allowed-origins lets that origin write, with CORS headers and a preflight', async () => {
    const server = await guardedServer('sqlite', { corsAllowedOrigins: ['https://notebook.example'] });
    const preflight = await call(server, 'OPTIONS', `${ML}/experiments/create`, {
      origin: 'https://notebook.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://notebook.example');
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');
    const { headers, payload } = json({ name: 'from-notebook' });
    const created = await call(server, 'POST', `${ML}/experiments/create`, { ...headers, origin: 'https://notebook.example' }, payload);
    expect(created.statusCode).toBe(200);
    expect(created.headers['access-control-allow-origin']).toBe('https://notebook.example');
    const foreign = await call(server, 'POST', `${ML}/experiments/create`, { ...headers, origin: 'https://evil.example' }, JSON.stringify({ name: 'x' }));
    expect(foreign.statusCode).toBe(403);
    await server.close();
  });
});
