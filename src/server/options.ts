import os from 'node:os';

/**
 * What an operator can set on a server (flags of `runstudio serve`), with the defaults a
 * server on a laptop needs. Every part reads its own piece from here.
 */
export interface ServerOptions {
  /**
   * Host names (with an optional `:port`) the server answers to besides localhost,
   * 127.0.0.1, [::1] and the bound address; `'*'` answers any (behind a proxy that checks).
   */
  allowedHosts: string[] | '*';
  /** Origins (`https://studio.example.com`) allowed to write cross-origin, with CORS. */
  corsAllowedOrigins: string[];
  /** The address the server binds, for the Host allowlist; null in tests that never listen. */
  boundHost: string | null;
  /** Whether experiments may name any artifact location (s3://…, file:…), not only mlflow-artifacts:. */
  allowArtifactLocations: boolean;
  /** Largest artifact upload in bytes; null: no limit beyond the disk. */
  maxArtifactBytes: number | null;
  /** Open log streams (SSE followers) at once; past it a new one gets 503 with Retry-After. */
  maxLogStreams: number;
  /** `full`: SQLite synchronous=FULL and every log append fsynced before it is acknowledged. */
  durability: 'normal' | 'full';
  /** Launchers' control streams open at once (one per launched run); past it a new one gets 503. */
  maxControlStreams: number;
  /** Run-event streams (open pages) at once; past it a new one gets 503 with Retry-After. */
  maxEventStreams: number;
  /** An event stream whose reader takes nothing for this long, with events waiting, is closed (it reconnects and resumes). */
  eventStallMs: number;
  /** A launched run whose launcher sends no heartbeat for this long becomes FAILED. */
  heartbeatTimeoutMs: number;
  /** `local`: no sign-in, every request is `localUser` as an admin. `team` (`--auth`): users sign in. */
  auth: 'local' | 'team';
  /** The one user of local mode: the OS user who started the server. */
  localUser: string;
  /** Team mode behind a signing-in proxy: the header naming the user (`X-Forwarded-User`); null: none trusted. */
  authProxyHeader: string | null;
  /**
   * The proxy's addresses or ranges: their X-Forwarded-User (with `authProxyHeader`), -For and
   * -Proto are believed in team mode. None by default: on a shared machine any local process
   * could otherwise claim to be the proxy.
   */
  authProxyTrusted: string[];
  /** The role of a user a proxy names for the first time. */
  authProxyRole: 'reader' | 'contributor' | 'admin';
  /** How long a sign-in lasts. */
  sessionTtlMs: number;
  /** Failed sign-ins per address and user name in 15 minutes before further tries get 429. */
  signInAttempts: number;
  /** How often an open stream (events, live logs, control) checks its caller is still signed in; closed when not. */
  streamAuthRecheckMs: number;
  /** Whether this replica runs the notification worker (every replica may: each event is sent once). */
  notifications: boolean;
  /** The SMTP server e-mail rules send through (`smtp://user:pass@host:587`, `smtps://…`); null: no e-mail. */
  smtpUrl: string | null;
  /** The From of notification e-mails. */
  mailFrom: string;
  /** The address users open the studio at, for links in notifications (`https://studio.example.com`). */
  publicUrl: string;
  /** How often the worker looks for due deliveries without being told (ms). */
  notifyPollMs: number;
  /** The first retry waits this long; each next one twice as long, at most `notifyRetryMaxMs`. */
  notifyRetryBaseMs: number;
  notifyRetryMaxMs: number;
  /** Tries before a delivery is failed for good. */
  notifyMaxAttempts: number;
  /** How often Running runs are checked for stalls (ms). */
  notifyStallScanMs: number;
  /** How long one e-mail or webhook try may take (ms). */
  notifySendTimeoutMs: number;
}

function osUser(): string {
  try {
    return os.userInfo().username || 'local';
  } catch {
    return process.env.USER ?? 'local';
  }
}

/** This machine's name as a mail domain; `localhost` when it has none that fits. */
function safeHostname(): string {
  const name = os.hostname();
  return /^[A-Za-z0-9.-]{1,200}$/.test(name) ? name : 'localhost';
}

export const defaultServerOptions: ServerOptions = {
  allowedHosts: [],
  corsAllowedOrigins: [],
  boundHost: null,
  allowArtifactLocations: false,
  maxArtifactBytes: null,
  maxLogStreams: 2000,
  durability: 'normal',
  heartbeatTimeoutMs: 60_000,
  maxControlStreams: 2000,
  maxEventStreams: 5000,
  eventStallMs: 60_000,
  auth: 'local',
  localUser: osUser(),
  authProxyHeader: null,
  authProxyTrusted: [],
  authProxyRole: 'reader',
  sessionTtlMs: 30 * 24 * 3600 * 1000,
  signInAttempts: 10,
  streamAuthRecheckMs: 30_000,
  notifications: true,
  smtpUrl: null,
  mailFrom: `Runstudio <runstudio@${safeHostname()}>`,
  publicUrl: 'http://127.0.0.1:5000',
  notifyPollMs: 1000,
  notifyRetryBaseMs: 10_000,
  notifyRetryMaxMs: 3600_000,
  notifyMaxAttempts: 10,
  notifyStallScanMs: 30_000,
  notifySendTimeoutMs: 15_000,
};

export function serverOptions(partial: Partial<ServerOptions> = {}): ServerOptions {
  return { ...defaultServerOptions, ...partial };
}
