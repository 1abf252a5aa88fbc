import type { ArtifactStore } from '../blobs/artifact-store.js';
import type { LogStore } from '../blobs/log-store.js';
import type { Db } from '../store/db.js';

/** What every service needs: the store, the blob stores and a clock. */
export interface Deps {
  db: Db;
  logs: LogStore;
  artifacts: ArtifactStore;
  now: () => number;
}
