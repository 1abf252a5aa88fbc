import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../app.js';
import type { BlobStoreConfig } from '../blobs/blob-stores.js';
import type { ServerOptions } from '../options.js';
import type { Db } from '../store/db.js';
import { openTestDb, type Backend } from './backends.js';

/**
 * The child's script: s3rver with one bucket on a free port; prints the port, stops when
 * its stdin closes. s3rver signs ListObjectsV2 continuation tokens with DES, which Node's
 * OpenSSL 3 only offers with its legacy provider: hence a child process with that flag.
 */
const script = `
const S3rver = require(process.argv[1]);
const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
server.run().then(({ port }) => console.log(JSON.stringify({ port })));
process.stdin.on('end', () => server.close().then(() => process.exit(0)));
process.stdin.resume();
`;

/**
 * A real S3 protocol server (s3rver) on a free loopback port, its objects in a temp
 * directory, with one bucket. Its fixed credentials are set in the environment, where the
 * store reads them as it would AWS's.
 */
export async function startS3(bucket = 'runstudio-test') {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-s3-'));
  const module = createRequire(import.meta.url).resolve('s3rver');
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script, module, directory, bucket], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code} before listening`)));
    child.once('error', reject);
  });
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    /** The store's configuration, under `prefix` in the bucket. */
    config: (prefix = ''): Extract<BlobStoreConfig, { kind: 's3' }> => ({ kind: 's3', bucket, prefix, endpoint, pathStyle: true }),
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      const timer = setTimeout(() => child.kill(), 5000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

export type S3Server = Awaited<ReturnType<typeof startS3>>;

/** A server built with the S3 blob store on a fresh database (or `db`, to share it as another replica would). */
export async function s3TestServer(backend: Backend, s3: S3Server, prefix: string, extra: { db?: Db; options?: Partial<ServerOptions> } = {}) {
  const store = extra.db ? null : await openTestDb(backend);
  const db = extra.db ?? store!.db;
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-blobs-'));
  const app = await buildApp({ db, blobDir, blobStore: s3.config(prefix), webRoot: null, ...(extra.options ? { options: extra.options } : {}) });
  async function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
    const response = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.json<Record<string, any>>() };
  }
  return {
    app,
    db,
    blobDir,
    post: (url: string, payload: unknown) => call('POST', url, payload),
    get: (url: string) => call('GET', url),
    close: async () => {
      await app.close();
      await store?.cleanup();
      fs.rmSync(blobDir, { recursive: true, force: true });
    },
  };
}
