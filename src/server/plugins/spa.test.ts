import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { openTestDb, type TestDb } from '../test-support/backends.js';

describe('the web app', () => {
  let dir: string;
  let store: TestDb;
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-web-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
    fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
    store = await openTestDb('sqlite');
    app = await buildApp({ db: store.db, blobDir: dir, webRoot: dir });
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the app for deep links, files as files, and a 404 for a missing file', async () => {
    const deep = await app.inject({ method: 'GET', url: '/runs/abc?tab=outputs' });
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toContain('text/html');
    expect(deep.headers['content-security-policy']).toContain("script-src 'self'");
    const asset = await app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    const stale = await app.inject({ method: 'GET', url: '/assets/index-OLD.js' });
    expect(stale.statusCode).toBe(404);
    expect(stale.headers['content-type']).toContain('text/plain');
    const api = await app.inject({ method: 'GET', url: '/api/studio/nope' });
    expect(api.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
  });
});
