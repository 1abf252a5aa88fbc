import { afterAll, beforeAll } from 'vitest';
import { startS3, type S3Server } from './s3.js';

/** An s3rver for a test file: started before its tests, stopped after them. Call the getter in a test or hook. */
export function useS3(bucket?: string): () => S3Server {
  let server: S3Server | undefined;
  beforeAll(async () => {
    server = await startS3(bucket);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('The s3rver of this file has not started.');
    return server;
  };
}
