import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.js';
import { backends, ML, openTestDb } from '../test-support/backends.js';

describe.each(backends())('an unexpected error on %s', (backend) => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is logged to stderr with a request id, without --log, and the 500 carries the same id', async () => {
    const store = await openTestDb(backend);
    const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-500-'));
    const app = await buildApp({ db: store.db, blobDir, webRoot: null, logger: false });
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    // The store goes away under the server: every query now fails inside the service.
    await store.db.close();
    const res = await app.inject({ method: 'GET', url: `${ML}/experiments/get?experiment_id=0` });
    expect(res.statusCode).toBe(500);
    const body = res.json<{ error_code: string; message: string; request_id: string }>();
    expect(body.error_code).toBe('INTERNAL_ERROR');
    expect(body.request_id).toMatch(/^[0-9a-f]{16}$/);
    expect(body.message).toContain(body.request_id);
    expect(res.headers['x-request-id']).toBe(body.request_id);
    const line = written.map((w) => JSON.parse(w) as Record<string, string>).find((l) => l.requestId === body.request_id);
    expect(line).toMatchObject({ level: 'error', method: 'GET', url: `${ML}/experiments/get?experiment_id=0` });
    expect(line?.error).toBeTruthy();
    vi.restoreAllMocks();
    await app.close();
    fs.rmSync(blobDir, { recursive: true, force: true });
  });
});
