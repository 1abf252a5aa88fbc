import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3 } from '../test-support/s3.js';
import { S3ArtifactStore } from './s3-artifact-store.js';
import { openS3, type S3Config } from './s3-client.js';

type S3 = Awaited<ReturnType<typeof startS3>>;
let s3: S3;
let store: S3ArtifactStore;

function open(config: S3Config, options: ConstructorParameters<typeof S3ArtifactStore>[1] = { maxBytes: null }) {
  return new S3ArtifactStore(openS3(config), options);
}
const body = (text: string | Buffer) => Readable.from([Buffer.from(text)]);

beforeAll(async () => {
  s3 = await startS3();
  store = open(s3.config('team/runstudio'), { maxBytes: 20 * 1024 * 1024, partSize: 5 * 1024 * 1024 });
});
afterAll(async () => {
  await s3?.close();
});

describe('S3ArtifactStore', () => {
  it('puts, lists (directories and files byte-wise, relative to the root) and opens', async () => {
    await store.put(['1', 'r1', 'artifacts', 'model', 'weights.bin'], body('weights'));
    await store.put(['1', 'r1', 'artifacts', 'model', 'deep', 'x.txt'], body('x'));
    await store.put(['1', 'r1', 'artifacts', 'Zeta.txt'], body('zz'));
    await store.put(['1', 'r1', 'artifacts', 'a.txt'], body(''));
    await store.put(['1', 'r1', 'artifacts', 'model.json'], body('{}'));
    const root = ['1', 'r1', 'artifacts'];
    expect(await store.list(root, root)).toEqual([
      { path: 'Zeta.txt', is_dir: false, file_size: 2 },
      { path: 'a.txt', is_dir: false, file_size: 0 },
      { path: 'model', is_dir: true },
      { path: 'model.json', is_dir: false, file_size: 2 },
    ]);
    expect(await store.list([...root, 'model'], root)).toEqual([
      { path: 'model/deep', is_dir: true },
      { path: 'model/weights.bin', is_dir: false, file_size: 7 },
    ]);
    expect(await store.list([...root, 'model', 'deep'], [...root, 'model', 'deep'])).toEqual([{ path: 'x.txt', is_dir: false, file_size: 1 }]);
    expect(await store.list([...root, 'nothing'], root)).toEqual([]);
    const file = await store.open([...root, 'model', 'weights.bin']);
    expect(file.size).toBe(7);
    expect((await buffer(file.stream)).toString()).toBe('weights');
    expect((await buffer((await store.open([...root, 'a.txt'])).stream)).length).toBe(0);
  });

  it('replaces an object whole on a second upload of the same path', async () => {
    await store.put(['1', 'r2', 'f.txt'], body('first version'));
    await store.put(['1', 'r2', 'f.txt'], body('second'));
    expect((await buffer((await store.open(['1', 'r2', 'f.txt'])).stream)).toString()).toBe('second');
  });

  it('lists page after page of ListObjectsV2, folders and files together', async () => {
    const paged = open(s3.config('paged'), { maxBytes: null, listPageSize: 4 });
    const names = Array.from({ length: 25 }, (_, i) => `f${String(i).padStart(2, '0')}`);
    await Promise.all(names.map((n, i) => paged.put(i % 5 === 0 ? ['many', n, 'inner.txt'] : ['many', n], body(n))));
    const listed = await paged.list(['many'], []);
    expect(listed.map((e) => e.path)).toEqual(names.map((n) => `many/${n}`));
    expect(listed[0]).toEqual({ path: 'many/f00', is_dir: true });
    expect(listed[24]).toEqual({ path: 'many/f24', is_dir: false, file_size: 3 });
  });

  it('uploads a large artifact in parts and streams it back byte-exact', async () => {
    const data = randomBytes(12 * 1024 * 1024);
    // Chunks of 64 KiB, as an HTTP body arrives.
    const chunks = Array.from({ length: data.length / 65536 }, (_, i) => data.subarray(i * 65536, (i + 1) * 65536));
    await store.put(['1', 'big', 'model.bin'], Readable.from(chunks), data.length);
    const file = await store.open(['1', 'big', 'model.bin']);
    expect(file.size).toBe(data.length);
    expect((await buffer(file.stream)).equals(data)).toBe(true);
  });

  it('refuses uploads past the limit (declared or streamed) and keeps nothing', async () => {
    const small = open(s3.config('limits'), { maxBytes: 10 });
    await expect(small.put(['a.txt'], body('0123456789x'), 11)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: "Artifact upload of 11 bytes is larger than this server's limit of 10 bytes (--max-artifact-bytes).",
    });
    await expect(small.put(['b.txt'], body('0123456789x'))).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: "Artifact upload is larger than this server's limit of 10 bytes (--max-artifact-bytes).",
    });
    await expect(small.open(['b.txt'])).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    expect(await small.list([], [])).toEqual([]);
  });

  it('refuses a streamed multipart upload past the limit, after parts went up', async () => {
    const limited = open(s3.config('limits-big'), { maxBytes: 11 * 1024 * 1024, partSize: 5 * 1024 * 1024 });
    const data = randomBytes(12 * 1024 * 1024);
    const chunks = Array.from({ length: data.length / 65536 }, (_, i) => data.subarray(i * 65536, (i + 1) * 65536));
    await expect(limited.put(['huge.bin'], Readable.from(chunks))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(limited.open(['huge.bin'])).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('says an interrupted upload stored nothing', async () => {
    const broken = new Readable({ read() {} });
    broken.push(Buffer.from('partial'));
    setTimeout(() => broken.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), 20);
    await expect(store.put(['1', 'cut.txt'], broken)).rejects.toMatchObject({ code: 'MALFORMED_REQUEST' });
    await expect(store.open(['1', 'cut.txt'])).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('answers a missing artifact with the directory store’s not-found error', async () => {
    await expect(store.open(['1', 'r1', 'artifacts', 'missing.txt'])).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', message: "No artifact at '1/r1/artifacts/missing.txt'" });
    // A directory is not an artifact.
    await expect(store.open(['1', 'r1', 'artifacts', 'model'])).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('refuses paths that leave their run, as the directory store does', async () => {
    await expect(store.put(['..', '..', 'escape.txt'], body('x'))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.list(['..'], [])).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.open(['1', '..', '..', 'x'])).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });
});
