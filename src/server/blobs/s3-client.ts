import http from 'node:http';
import https from 'node:https';
import { HeadBucketCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { BlobStoreConfig } from './blob-stores.js';

export type S3Config = Extract<BlobStoreConfig, { kind: 's3' }>;

/** One bucket and key prefix, with the client that reaches them. */
export interface S3Place {
  client: S3Client;
  bucket: string;
  /** Key of `parts` under the store's prefix. */
  key(...parts: string[]): string;
}

/** `s3://bucket/prefix` as the user wrote it, for messages and the "listening" line. */
export function describeS3(config: S3Config): string {
  const where = `s3://${config.bucket}${config.prefix ? `/${config.prefix}` : ''}`;
  return config.endpoint ? `${where} at ${config.endpoint}` : where;
}

/**
 * A client from the usual AWS environment (AWS_REGION, AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, profiles); the region defaults to us-east-1. Checksums are only
 * sent where S3 requires them: MinIO, Ceph and older servers reject the newer headers.
 */
export function openS3(config: S3Config): S3Place {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  // Downloads hold a socket for as long as the reader takes: more than the SDK's default 50.
  const agent = { keepAlive: true, maxSockets: 512 };
  const client = new S3Client({
    region,
    forcePathStyle: config.pathStyle,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { httpAgent: new http.Agent(agent), httpsAgent: new https.Agent(agent) },
  });
  const base = config.prefix ? `${config.prefix}/` : '';
  return { client, bucket: config.bucket, key: (...parts) => base + parts.join('/') };
}

/** Fails with a message naming the flags when the bucket cannot be reached (startup). */
export async function checkBucket(place: S3Place, config: S3Config): Promise<void> {
  try {
    await place.client.send(new HeadBucketCommand({ Bucket: place.bucket }));
  } catch (error) {
    const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
    const why =
      status === 404
        ? 'the bucket does not exist'
        : status === 403 || status === 401
          ? 'access denied (check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)'
          : error instanceof Error && error.name === 'CredentialsProviderError'
            ? 'no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)'
            : error instanceof Error
            ? `${error.name}: ${error.message}`
            : String(error);
    throw new Error(`Cannot use the blob store ${describeS3(config)} (--blob-store, --s3-endpoint, --s3-path-style): ${why}.`, { cause: error });
  }
}

/** Whether an S3 error says the key does not exist. */
export function isNoSuchKey(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);
}
