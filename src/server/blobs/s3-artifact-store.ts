import path from 'node:path';
import { PassThrough, Transform, pipeline, type Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ApiError, notFound } from '../errors.js';
import type { ArtifactEntry } from './artifact-store.js';
import { isInterrupted } from './fs-errors.js';
import { inside } from './paths.js';
import { isNoSuchKey, type S3Place } from './s3-client.js';

export interface S3ArtifactStoreOptions {
  /** Largest upload in bytes; null: no limit. */
  maxBytes: number | null;
  /** Uploads past this size go up in parts of this size (S3's minimum is 5 MiB). */
  partSize?: number;
  /** Keys a listing asks for at once (S3's maximum, 1,000, unless a test asks for pages). */
  listPageSize?: number;
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

function tooLarge(max: number, declared?: number): ApiError {
  const what = declared === undefined ? 'Artifact upload is' : `Artifact upload of ${declared} bytes is`;
  return new ApiError('PAYLOAD_TOO_LARGE', `${what} larger than this server's limit of ${max} bytes (--max-artifact-bytes).`);
}

/** Passes bytes on and fails past `max` (ArtifactStore's limit, with its message). */
function byteLimit(max: number | null): Transform {
  let seen = 0;
  if (max === null) return new PassThrough();
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) done(tooLarge(max));
      else done(null, chunk);
    },
  });
}

/**
 * Artifacts as objects under `<prefix>/artifacts/`, keyed as the directory store lays out
 * its files. A PUT or a completed multipart upload replaces an object whole, so readers see
 * one whole upload; a failed upload is aborted, leaving no parts behind.
 */
export class S3ArtifactStore {
  constructor(
    private readonly s3: S3Place,
    private readonly options: S3ArtifactStoreOptions = { maxBytes: null },
  ) {}

  /** The object key of a path, checked as the directory store checks its files. */
  private keyOf(segments: string[]): string {
    const base = path.resolve('/artifacts');
    const relative = path.relative(base, inside(base, segments)).split(path.sep).join('/');
    return this.s3.key('artifacts', ...(relative === '' ? [] : [relative]));
  }

  /** Nothing to sweep: a failed multipart upload is aborted where it fails. */
  sweepUploads(): Promise<number> {
    return Promise.resolve(0);
  }

  /** Streams `body` to its object, in parts past the part size; `declaredSize` (Content-Length) is checked first. */
  async put(segments: string[], body: Readable, declaredSize?: number): Promise<void> {
    const { maxBytes } = this.options;
    if (maxBytes !== null && declaredSize !== undefined && declaredSize > maxBytes) throw tooLarge(maxBytes, declaredSize);
    const key = this.keyOf(segments);
    const where = segments.join('/');
    // The first failure of the body or the limit is the one to report, whatever the SDK makes of it.
    let failure: unknown = null;
    const limited = byteLimit(maxBytes);
    pipeline(body, limited, (error) => {
      failure ??= error ?? null;
    });
    const upload = new Upload({
      client: this.s3.client,
      params: { Bucket: this.s3.bucket, Key: key, Body: limited },
      partSize: this.options.partSize ?? DEFAULT_PART_SIZE,
      queueSize: 4,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      const cause = failure ?? error;
      if (!body.destroyed) body.resume();
      if (cause instanceof ApiError) throw cause;
      if (isInterrupted(cause)) throw new ApiError('MALFORMED_REQUEST', `The upload of '${where}' was interrupted before its end; nothing was stored.`);
      throw cause;
    }
  }

  /** The entries of a directory, with paths relative to `relativeTo` (MLflow's convention), byte-wise by path. */
  async list(segments: string[], relativeTo: string[]): Promise<ArtifactEntry[]> {
    const dir = this.keyOf(segments);
    const prefix = `${dir}/`;
    const relative = segments.slice(relativeTo.length);
    const out: ArtifactEntry[] = [];
    // S3 names a folder once; some servers (s3rver) repeat it on the next page.
    const folders = new Set<string>();
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.s3.client.send(
        new ListObjectsV2Command({ Bucket: this.s3.bucket, Prefix: prefix, Delimiter: '/', MaxKeys: this.options.listPageSize ?? 1000, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const common of page.CommonPrefixes ?? []) {
        const name = common.Prefix?.slice(prefix.length, -1);
        if (name && !folders.has(name)) {
          folders.add(name);
          out.push({ path: [...relative, name].join('/'), is_dir: true });
        }
      }
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(prefix.length);
        // An empty name is a folder marker some tools write; it is the folder itself.
        if (name) out.push({ path: [...relative, name].join('/'), is_dir: false, file_size: object.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The object as a stream (never read whole here) and its size. */
  async open(segments: string[]): Promise<{ stream: Readable; size: number }> {
    const key = this.keyOf(segments);
    if (segments.length === 0) throw notFound(`No artifact at ''`);
    try {
      const object = await this.s3.client.send(new GetObjectCommand({ Bucket: this.s3.bucket, Key: key }));
      return { stream: object.Body as Readable, size: object.ContentLength ?? 0 };
    } catch (error) {
      if (isNoSuchKey(error)) throw notFound(`No artifact at '${segments.join('/')}'`);
      throw error;
    }
  }
}
