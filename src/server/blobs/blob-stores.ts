import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Db } from '../store/db.js';
import type { ArtifactStore } from './artifact-store.js';
import { ArtifactStore as DirArtifactStore } from './artifact-store.js';
import type { LogStore } from './log-store.js';
import { LogStore as DirLogStore } from './log-store.js';
import { S3ArtifactStore } from './s3-artifact-store.js';
import { checkBucket, describeS3, openS3 } from './s3-client.js';
import { SharedLogStore } from './shared-log-store.js';

/** Where artifacts and logs live: a local directory (the default) or an S3-compatible bucket. */
export type BlobStoreConfig =
  | { kind: 'dir' }
  | {
      kind: 's3';
      bucket: string;
      /** Key prefix inside the bucket, without leading or trailing '/'; '' for the bucket's root. */
      prefix: string;
      /** `--s3-endpoint` or AWS_ENDPOINT_URL; undefined: AWS itself. */
      endpoint?: string | undefined;
      /** `--s3-path-style`: bucket in the path (MinIO, Ceph, local servers). */
      pathStyle: boolean;
    };

/**
 * `--blob-store s3://bucket/prefix` with `--s3-endpoint` and `--s3-path-style`; no URI: the
 * data directory. A bad value is an error naming the flag.
 */
export function parseBlobStore(uri: string | undefined, s3: { endpoint?: string | undefined; pathStyle?: boolean }): BlobStoreConfig {
  if (uri === undefined || uri === '') return { kind: 'dir' };
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  const bucket = match?.[1] ?? '';
  if (!match || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`Invalid --blob-store '${uri}' (RUNSTUDIO_BLOB_STORE): expected s3://bucket or s3://bucket/prefix, with a bucket name of 3 to 63 lowercase letters, digits, '.' and '-'.`);
  }
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((part) => part === '.' || part === '..')) throw new Error(`Invalid --blob-store '${uri}': '.' and '..' are not allowed in the prefix.`);
  if (s3.endpoint !== undefined && s3.endpoint !== '') {
    const url = URL.canParse(s3.endpoint) ? new URL(s3.endpoint) : null;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new Error(`Invalid --s3-endpoint '${s3.endpoint}' (AWS_ENDPOINT_URL): expected an http:// or https:// URL.`);
    }
  }
  return { kind: 's3', bucket, prefix, endpoint: s3.endpoint || undefined, pathStyle: s3.pathStyle ?? false };
}

/** Where blobs are, for the "listening" line. */
export function describeBlobStore(config: BlobStoreConfig, blobDir: string): string {
  return config.kind === 's3' ? `${describeS3(config)}, cache in ${path.join(blobDir, 'cache')}` : blobDir;
}

/** What the routes use of the log store, whichever the backend. */
export type LogBlobs = Pick<LogStore, 'size' | 'list' | 'append' | 'lines' | 'search' | 'follow' | 'endStreams' | 'openStreams' | 'followerHubs' | 'indexBytes'> & {
  /** Bytes [from, to) as a stream, clamped to what the log holds; null when empty. */
  stream(runId: string, name: string, from: number, to: number): Readable | null | Promise<Readable | null>;
  /** Another replica appended to this log (a run event said so): bring local readers up to `size`. */
  noticeGrowth?(runId: string, name: string, size: number): void;
};

/** What the routes use of the artifact store, whichever the backend. */
export type ArtifactBlobs = Pick<ArtifactStore, 'sweepUploads' | 'put' | 'list' | 'open'>;

export interface BlobStores {
  logs: LogBlobs;
  artifacts: ArtifactBlobs;
}

export interface BlobStoreOptions {
  fsync: boolean;
  maxArtifactBytes: number | null;
  /** The metadata store: S3 logs keep their segments' order in it. */
  db: Db;
  /** Artifact uploads past this size go up in parts of this size (S3 only; default 8 MiB). */
  partSize?: number;
}

/**
 * Opens the configured blob stores; `blobDir` holds the directory store, or local caches for
 * S3. An S3 bucket is checked first (HeadBucket): an unreachable one fails the start.
 */
export async function openBlobStores(config: BlobStoreConfig, blobDir: string, options: BlobStoreOptions): Promise<BlobStores> {
  if (config.kind === 's3') {
    const s3 = openS3(config);
    await checkBucket(s3, config);
    return {
      logs: new SharedLogStore(options.db, s3, new DirLogStore(path.join(blobDir, 'cache'), { fsync: false })),
      artifacts: new S3ArtifactStore(s3, { maxBytes: options.maxArtifactBytes, ...(options.partSize ? { partSize: options.partSize } : {}) }),
    };
  }
  return {
    logs: new DirLogStore(blobDir, { fsync: options.fsync }),
    artifacts: new DirArtifactStore(blobDir, { maxBytes: options.maxArtifactBytes, fsync: options.fsync }),
  };
}
