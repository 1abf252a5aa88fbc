import type { Authenticator } from '../auth/authenticator.js';
import type { ArtifactBlobs, LogBlobs } from '../blobs/blob-stores.js';
import type { ServerOptions } from '../options.js';
import type { Db } from '../store/db.js';
import type { RunEventBus } from '../events/run-event-bus.js';
import type { ControlEvents } from './control-events.js';
import type { Notifier } from '../notify/notifier.js';

/** What every service needs: the store, the blob stores, a clock and the operator's options. */
export interface Deps {
  db: Db;
  options: ServerOptions;
  logs: LogBlobs;
  artifacts: ArtifactBlobs;
  now: () => number;
  /** What changed in runs, for open pages and other replicas. */
  events: RunEventBus;
  /** Cancels and ends, for the launchers' control streams. */
  control: ControlEvents;
  /** Who a request comes from (sessions, tokens, proxy), and the mode. */
  auth: Authenticator;
  /** The notification worker: sends rules' e-mails and webhooks. */
  notifier: Notifier;
}
