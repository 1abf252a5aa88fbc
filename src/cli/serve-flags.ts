import { InvalidArgumentError } from 'commander';
import { roleSchema, type Role } from '../shared/studio/auth.js';
import { CliError, EXIT } from './api-client.js';
import { parseBlobStore, type BlobStoreConfig } from '../server/blobs/blob-stores.js';
import type { ServerOptions } from '../server/options.js';

export { duration } from './duration.js';

export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

/** `a,b , c` → ['a', 'b', 'c']. */
export function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

const units: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** A size in bytes with an optional K, M, G or T suffix (powers of 1024): `500M`, `2G`. */
export function bytes(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a size such as 500M or 2G');
  const n = Math.floor(Number(match[1]) * units[match[2]!.toLowerCase()]!);
  if (n < 1) throw new InvalidArgumentError('expected a size of at least 1 byte');
  return n;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

export function durability(value: string): ServerOptions['durability'] {
  if (value !== 'normal' && value !== 'full') throw new InvalidArgumentError("expected 'normal' or 'full'");
  return value;
}

/** A role name: reader, contributor or admin. */
export function role(value: string): Role {
  const parsed = roleSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('expected reader, contributor or admin');
  return parsed.data;
}

export interface ServeFlags {
  host: string;
  port: number;
  data: string;
  databaseUrl?: string;
  log: boolean;
  allowedHosts: string[];
  corsAllowedOrigins: string[];
  allowArtifactLocations: boolean;
  maxArtifactBytes?: number;
  maxLogStreams: number;
  durability: ServerOptions['durability'];
  heartbeatTimeout: number;
  blobStore?: string;
  s3Endpoint?: string;
  s3PathStyle: boolean;
  auth: boolean;
  insecureNoAuth: boolean;
  authProxyHeader?: string;
  authProxyTrusted: string[];
  authProxyRole: Role;
  sessionTtl?: number;
  smtpUrl?: string;
  mailFrom?: string;
  publicUrl?: string;
  notifications: boolean;
  notifyMaxAttempts?: number;
}

/** Where blobs live: `--blob-store s3://…` with its S3 flags, or the data directory; a bad value names its flag. */
export function blobStoreFromFlags(flags: ServeFlags): BlobStoreConfig {
  return parseBlobStore(flags.blobStore, { endpoint: flags.s3Endpoint, pathStyle: flags.s3PathStyle });
}

/**
 * `--smtp-url`: smtp://user:pass@host:587 or smtps://…. It holds a password, so an error
 * never repeats the value (commander's own would: hence checked here, not as an argParser).
 */
export function smtpUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    throw new CliError('--smtp-url (RUNSTUDIO_SMTP_URL) must be an smtp:// or smtps:// URL, such as smtps://user:password@mail.example.com:465 (the value given is not shown: it may hold a password).', EXIT.usage);
  }
  return value;
}

/** `--public-url`: the http(s) address users open the studio at, without a trailing slash. */
export function publicUrl(value: string): string {
  const url = URL.canParse(value.trim()) ? new URL(value.trim()) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    throw new CliError(`--public-url (RUNSTUDIO_PUBLIC_URL) must be the http:// or https:// address users open the studio at, such as https://studio.example.com, without a user, query or fragment${value.includes('@') ? '' : `; got '${value}'`}.`, EXIT.usage);
  }
  return value.trim().replace(/\/+$/, '');
}

/** `--mail-from`: `runstudio@example.com` or `Runstudio <runstudio@example.com>`, on one line. */
export function mailFrom(value: string): string {
  const address = /^[^\s<>@]+@[^\s<>@]+$/;
  const named = /^[^<>\r\n]*<([^\s<>@]+@[^\s<>@]+)>$/;
  const trimmed = value.trim();
  if (!address.test(trimmed) && !named.test(trimmed)) {
    throw new CliError(`--mail-from (RUNSTUDIO_MAIL_FROM) must be an e-mail address, alone or with a name: runstudio@example.com or 'Runstudio <runstudio@example.com>'; got '${value}'.`, EXIT.usage);
  }
  return trimmed;
}

/** The server options the flags stand for; `--allowed-hosts '*'` answers any Host. Contradicting flags are a usage error. */
export function optionsFromFlags(flags: ServeFlags): Partial<ServerOptions> {
  if (flags.auth && flags.insecureNoAuth) throw new CliError('--auth and --insecure-no-auth contradict each other: --auth makes users sign in, --insecure-no-auth serves without sign-in.', EXIT.usage);
  if (flags.authProxyHeader !== undefined && !flags.auth) {
    throw new CliError('--auth-proxy-header needs --auth: a proxy names users of team mode, and without --auth nobody signs in.', EXIT.usage);
  }
  if (flags.authProxyHeader !== undefined && flags.authProxyTrusted.length === 0) {
    throw new CliError(
      "--auth-proxy-header needs --auth-proxy-trusted <your proxy's addresses>: the header is believed only from them (127.0.0.1 for a proxy on this machine; then any local process can name any user, so only where every local user is trusted).",
      EXIT.usage,
    );
  }
  return {
    allowedHosts: flags.allowedHosts.includes('*') ? '*' : flags.allowedHosts,
    corsAllowedOrigins: flags.corsAllowedOrigins,
    allowArtifactLocations: flags.allowArtifactLocations,
    maxArtifactBytes: flags.maxArtifactBytes ?? null,
    maxLogStreams: flags.maxLogStreams,
    durability: flags.durability,
    heartbeatTimeoutMs: flags.heartbeatTimeout,
    auth: flags.auth ? 'team' : 'local',
    authProxyHeader: flags.authProxyHeader ?? null,
    // Node reports IPv4 peers of a dual-stack socket as ::ffff:a.b.c.d: trust both spellings.
    authProxyTrusted: flags.authProxyTrusted.flatMap((a) => (/^\d+\.\d+\.\d+\.\d+$/.test(a) ? [a, `::ffff:${a}`] : [a])),
    authProxyRole: flags.authProxyRole,
    ...(flags.sessionTtl !== undefined ? { sessionTtlMs: flags.sessionTtl } : {}),
    notifications: flags.notifications,
    smtpUrl: flags.smtpUrl === undefined ? null : smtpUrl(flags.smtpUrl),
    // Left out: the server's defaults (options.ts; serve() makes publicUrl its own address).
    ...(flags.mailFrom !== undefined ? { mailFrom: mailFrom(flags.mailFrom) } : {}),
    ...(flags.publicUrl !== undefined ? { publicUrl: publicUrl(flags.publicUrl) } : {}),
    ...(flags.notifyMaxAttempts !== undefined ? { notifyMaxAttempts: flags.notifyMaxAttempts } : {}),
  };
}

/** What serve says at start about notifications: the SMTP server by host and port only (its URL holds a password). */
export function notificationsBanner(options: Partial<ServerOptions>, publicUrl: string): string {
  if (options.notifications === false) return 'Notifications: not sent from this replica (--no-notifications); another replica sends them.';
  const smtp = options.smtpUrl ? new URL(options.smtpUrl) : null;
  const email = smtp ? `e-mail through ${smtp.protocol}//${smtp.host}` : 'no e-mail (no --smtp-url)';
  return `Notifications: ${email}; links in them open ${publicUrl} (--public-url).`;
}
