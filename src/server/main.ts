import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from './app.js';
import type { BlobStoreConfig } from './blobs/blob-stores.js';
import { defaultServerOptions, type ServerOptions } from './options.js';
import { openDb, type StoreConfig } from './store/db.js';
import { countAdmins } from './store/users.store.js';

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
  /** `--insecure-no-auth`: serve other machines in local mode, without sign-in. */
  insecureNoAuth?: boolean;
}

/** A serve() refused before anything listens: the operator must change a flag. */
export class ServeRefused extends Error {}

/** Whether `host` only accepts this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

/**
 * In local mode every request is an admin: binding an address other machines reach hands
 * every run to anyone on the network, so it takes `--auth` or an explicit `--insecure-no-auth`.
 */
export function checkBind(host: string, auth: ServerOptions['auth'], insecureNoAuth: boolean): void {
  if (auth === 'local' && !insecureNoAuth && !isLoopback(host)) {
    throw new ServeRefused(
      `Refusing to listen on ${host} without sign-in: anyone who can reach this address could change or delete every run. ` +
        'Start with --auth (users sign in; add the first admin with runstudio users add <name> --role admin), or with --insecure-no-auth if the network itself is trusted.',
    );
  }
}

/** `http://host:port`, an IPv6 address in brackets. */
function httpUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Where links in notifications point without `--public-url`: the address listened on (a
 * wildcard one by this machine's name). Unknown before listening on port 0: the default then.
 */
function defaultPublicUrl(host: string, port: number): Partial<ServerOptions> {
  if (port === 0) return {};
  return { publicUrl: httpUrl(host === '0.0.0.0' || host === '::' ? os.hostname() : host, port) };
}

/**
 * Opens the store, listens, and closes both cleanly on SIGINT or SIGTERM. `needsFirstAdmin`:
 * a team-mode server with no admin yet, whose operator must make one. `publicUrl`: where
 * links in notifications point.
 */
export async function serve(options: ServeOptions): Promise<{ url: string; publicUrl: string; close: () => Promise<void>; needsFirstAdmin: boolean }> {
  const auth = options.options?.auth ?? 'local';
  checkBind(options.host, auth, options.insecureNoAuth ?? false);
  // The store holds password hashes, session ids and the CSRF secret: only its owner reads it.
  fs.mkdirSync(path.join(options.dataDir, 'blobs'), { recursive: true, mode: 0o700 });
  const store: StoreConfig = options.databaseUrl
    ? { kind: 'postgres', url: options.databaseUrl }
    : { kind: 'sqlite', file: path.join(options.dataDir, 'runstudio.db'), durability: options.options?.durability ?? 'normal' };
  const db = await openDb(store);
  const settings = { ...defaultPublicUrl(options.host, options.port), ...options.options, boundHost: options.host };
  // An unreachable bucket fails here, before anything listens.
  const app = await buildApp({
    db,
    blobDir: path.join(options.dataDir, 'blobs'),
    ...(options.blobStore ? { blobStore: options.blobStore } : {}),
    webRoot: options.webRoot,
    logger: options.logger ?? false,
    options: settings,
  }).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  const needsFirstAdmin = auth === 'team' && (await countAdmins(db)) === 0;
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = httpUrl(options.host, port);
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
  return { url, publicUrl: settings.publicUrl ?? defaultServerOptions.publicUrl, close, needsFirstAdmin };
}
