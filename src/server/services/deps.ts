import type { Db } from '../store/db.js';

/** What every service needs: the store and a clock (tests pass a fixed one where it matters). */
export interface Deps {
  db: Db;
  now: () => number;
}
