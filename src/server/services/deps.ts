import type { ArtifactStore } from '../blobs/artifact-store.js';
import type { LogStore } from '../blobs/log-store.js';
import type { ServerOptions } from '../options.js';
import type { Db } from '../store/db.js';
import type { ControlEvents } from './control-events.js';

/** What every service needs: the store, the blob stores, a clock and the operator's options. */
export interface Deps {
  db: Db;
  options: ServerOptions;
  logs: LogStore;
  artifacts: ArtifactStore;
  now: () => number;
  /** Cancels and ends, for the launchers' control streams. */
  control: ControlEvents;
}
