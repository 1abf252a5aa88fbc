import fs from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.js';
import type { BlobStoreConfig } from './blobs/blob-stores.js';
import type { ServerOptions } from './options.js';
import { openDb, type StoreConfig } from './store/db.js';

export interface ServeOptions {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string | undefined;
  webRoot: string | null;
  /** Where artifacts and logs live (`--blob-store`); the data directory when left out. */
  blobStore?: BlobStoreConfig | undefined;
  logger?: boolean;
  /** The operator's flags (guard, limits, durability); `boundHost` is set from `host`. */
  options?: Partial<ServerOptions>;
}

/** Opens the store, listens, and closes both cleanly on SIGINT or SIGTERM. */
export async function serve(options: ServeOptions): Promise<{ url: string; close: () => Promise<void> }> {
  fs.mkdirSync(path.join(options.dataDir, 'blobs'), { recursive: true });
  const store: StoreConfig = options.databaseUrl
    ? { kind: 'postgres', url: options.databaseUrl }
    : { kind: 'sqlite', file: path.join(options.dataDir, 'runstudio.db'), durability: options.options?.durability ?? 'normal' };
  const db = await openDb(store);
  // An unreachable bucket fails here, before anything listens.
  const app = await buildApp({
    db,
    blobDir: path.join(options.dataDir, 'blobs'),
    ...(options.blobStore ? { blobStore: options.blobStore } : {}),
    webRoot: options.webRoot,
    logger: options.logger ?? false,
    options: { ...options.options, boundHost: options.host },
  }).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      await db.close();
    })();
    return closing;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`\n${signal} received: shutting down`);
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
  return { url, close };
}
