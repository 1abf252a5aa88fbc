import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { BlobStoreConfig } from '../blobs/blob-stores.js';

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
    config: (prefix = ''): BlobStoreConfig => ({ kind: 's3', bucket, prefix, endpoint, pathStyle: true }),
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
