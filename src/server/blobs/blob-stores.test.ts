import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobStoreFromFlags, type ServeFlags } from '../../cli/serve-flags.js';
import { openTestDb, type TestDb } from '../test-support/backends.js';
import { startS3, type S3Server } from '../test-support/s3.js';
import { describeBlobStore, openBlobStores, parseBlobStore } from './blob-stores.js';

describe('--blob-store and the S3 flags', () => {
  it('parses s3://bucket/prefix with the endpoint and path style; no URI is the data directory', () => {
    expect(parseBlobStore(undefined, {})).toEqual({ kind: 'dir' });
    expect(parseBlobStore('s3://my-bucket', {})).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '', endpoint: undefined, pathStyle: false });
    expect(parseBlobStore('s3://my-bucket/team/runstudio/', { endpoint: 'http://127.0.0.1:9000', pathStyle: true })).toEqual({
      kind: 's3',
      bucket: 'my-bucket',
      prefix: 'team/runstudio',
      endpoint: 'http://127.0.0.1:9000',
      pathStyle: true,
    });
    const flags = { blobStore: 's3://b12/p', s3Endpoint: 'https://s3.example.com', s3PathStyle: false } as ServeFlags;
    expect(blobStoreFromFlags(flags)).toMatchObject({ kind: 's3', bucket: 'b12', prefix: 'p', endpoint: 'https://s3.example.com' });
  });

  it('names the flag when a value is wrong', () => {
    for (const uri of ['/data/blobs', 'gs://bucket', 's3://', 's3://Upper_Case', 's3://b']) {
      expect(() => parseBlobStore(uri, {}), uri).toThrow(/^Invalid --blob-store/);
    }
    expect(() => parseBlobStore('s3://bucket/a/../b', {})).toThrow(/--blob-store/);
    expect(() => parseBlobStore('s3://bucket', { endpoint: 'localhost:9000' })).toThrow(/^Invalid --s3-endpoint 'localhost:9000'/);
  });

  it('describes the store for the "listening" line', () => {
    expect(describeBlobStore({ kind: 'dir' }, '/data/blobs')).toBe('/data/blobs');
    expect(describeBlobStore({ kind: 's3', bucket: 'b12', prefix: 'p', endpoint: 'http://minio:9000', pathStyle: true }, '/data/blobs')).toBe(
      's3://b12/p at http://minio:9000, cache in /data/blobs/cache',
    );
  });
});

describe('opening an S3 blob store', () => {
  let s3: S3Server;
  let store: TestDb;
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-blobs-'));
  beforeAll(async () => {
    s3 = await startS3();
    store = await openTestDb('sqlite');
  });
  afterAll(async () => {
    await s3?.close();
    await store?.cleanup();
    fs.rmSync(blobDir, { recursive: true, force: true });
  });
  const options = () => ({ fsync: false, maxArtifactBytes: null, db: store.db });

  it('checks the bucket first and fails with a message naming the flags', async () => {
    await expect(openBlobStores({ ...s3.config(), bucket: 'no-such-bucket' }, blobDir, options())).rejects.toThrow(
      `Cannot use the blob store s3://no-such-bucket at ${s3.endpoint} (--blob-store, --s3-endpoint, --s3-path-style): the bucket does not exist.`,
    );
    const stores = await openBlobStores(s3.config('ok'), blobDir, options());
    expect(await stores.artifacts.list([], [])).toEqual([]);
  });

  it('fails to start when the endpoint does not answer', async () => {
    const closed = { kind: 's3' as const, bucket: 'bucket', prefix: '', endpoint: 'http://127.0.0.1:9', pathStyle: true };
    await expect(openBlobStores(closed, blobDir, options())).rejects.toThrow(/^Cannot use the blob store s3:\/\/bucket at http:\/\/127.0.0.1:9 .*ECONNREFUSED/);
  });
});
