import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { ServerOptions } from '../../options.js';
import { backends, ML, openTestDb } from '../../test-support/backends.js';

/** A listening server over a fresh store and blob directory, with some flags set. */
async function uploadServer(backend: 'sqlite' | 'postgres', options: Partial<ServerOptions> = {}, blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-uploads-'))) {
  const store = await openTestDb(backend);
  const app = await buildApp({ db: store.db, blobDir, webRoot: null, options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const created = await app.inject({ method: 'POST', url: `${ML}/runs/create`, payload: { experiment_id: '0' } });
  const root = created.json<{ run: { info: { artifact_uri: string } } }>().run.info.artifact_uri.replace('mlflow-artifacts:/', '');
  return {
    app,
    port,
    blobDir,
    root,
    uploads: path.join(blobDir, 'tmp', 'uploads'),
    close: async () => {
      await app.close();
      await store.cleanup();
      fs.rmSync(blobDir, { recursive: true, force: true });
    },
  };
}

function put(port: number, urlPath: string, body: Buffer | string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'PUT', path: `/api/2.0/mlflow-artifacts/artifacts/${urlPath}`, headers: { 'content-type': 'application/octet-stream' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(backends())('artifact uploads on %s', (backend) => {
  let server: Awaited<ReturnType<typeof uploadServer>>;
  beforeAll(async () => {
    server = await uploadServer(backend);
  });
  afterAll(async () => {
    await server.close();
  });

  it('keeps one whole upload when 20 clients write one path at once, and no temp file', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => Buffer.alloc(256 * 1024, 65 + i));
    const results = await Promise.all(bodies.map((body) => put(server.port, `${server.root}/model.bin`, body)));
    expect(results.map((r) => r.status)).toEqual(bodies.map(() => 200));
    const stored = fs.readFileSync(path.join(server.blobDir, 'artifacts', server.root, 'model.bin'));
    expect(bodies.some((b) => b.equals(stored))).toBe(true);
    expect(fs.readdirSync(server.uploads)).toEqual([]);
    expect(fs.readdirSync(path.join(server.blobDir, 'artifacts', server.root))).toEqual(['model.bin']);
  });

  it('answers 400 for names the file system refuses', async () => {
    expect((await put(server.port, `${server.root}/plain.txt`, 'x')).status).toBe(200);
    const cases: Array<[string, string]> = [
      [`${server.root}/${'n'.repeat(300)}.txt`, 'too long'],
      [`${server.root}/plain.txt/inner.txt`, 'is a file, not a directory'],
      [`${server.root}/dir/a.txt`, ''],
    ];
    for (const [target, why] of cases.slice(0, 2)) {
      const res = await put(server.port, target, 'x');
      expect(res.status, target).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
      expect(res.body).toContain(why);
    }
    expect((await put(server.port, cases[2]![0], 'x')).status).toBe(200);
    const onDir = await put(server.port, `${server.root}/dir`, 'x');
    expect(onDir.status).toBe(400);
    expect(onDir.body).toContain('is a directory');
    const list = await server.app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts?path=${server.root}/${'n'.repeat(300)}` });
    expect(list.statusCode).toBeLessThan(500);
  });

  it('leaves nothing behind when a client goes away mid-upload', async () => {
    const target = `${server.root}/interrupted.bin`;
    await new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, method: 'PUT', path: `/api/2.0/mlflow-artifacts/artifacts/${target}`, headers: { 'content-type': 'application/octet-stream', 'content-length': String(4 * 1024 * 1024) } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(512 * 1024, 1), () => req.destroy());
    });
    await expect.poll(() => fs.readdirSync(server.uploads), { timeout: 5_000 }).toEqual([]);
    expect(fs.existsSync(path.join(server.blobDir, 'artifacts', target))).toBe(false);
    // The server still answers.
    expect((await server.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('artifact upload limits and the temp area', () => {
  it('refuses an upload over --max-artifact-bytes with 413, declared or streamed', async () => {
    const server = await uploadServer('sqlite', { maxArtifactBytes: 1000 });
    expect((await put(server.port, `${server.root}/small.bin`, Buffer.alloc(1000))).status).toBe(200);
    const declared = await put(server.port, `${server.root}/big.bin`, Buffer.alloc(1001));
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ error_code: 'PAYLOAD_TOO_LARGE' });
    expect(declared.body).toContain('1000 bytes (--max-artifact-bytes)');
    // Chunked, with no Content-Length: counted as it streams.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, method: 'PUT', path: `/api/2.0/mlflow-artifacts/artifacts/${server.root}/chunked.bin`, headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 5; i += 1) req.write(Buffer.alloc(400));
      req.end();
    });
    expect(streamed).toBe(413);
    expect(fs.existsSync(path.join(server.blobDir, 'artifacts', server.root, 'chunked.bin'))).toBe(false);
    expect(fs.readdirSync(server.uploads)).toEqual([]);
    await server.close();
  });

  it('sweeps temp files a crash left behind when the server starts, and only old ones', async () => {
    const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-sweep-'));
    const uploads = path.join(blobDir, 'tmp', 'uploads');
    fs.mkdirSync(uploads, { recursive: true });
    fs.writeFileSync(path.join(uploads, 'crashed'), 'half an upload');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(path.join(uploads, 'crashed'), old, old);
    fs.writeFileSync(path.join(uploads, 'in-flight-elsewhere'), 'being written by another replica');
    const server = await uploadServer('sqlite', {}, blobDir);
    expect(fs.readdirSync(uploads)).toEqual(['in-flight-elsewhere']);
    await server.close();
  });
});
