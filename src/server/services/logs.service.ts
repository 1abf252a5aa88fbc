import { notFound } from '../errors.js';
import { findRunRow } from '../store/runs.store.js';
import type { Deps } from './deps.js';
import { isRunId } from './validation.js';

/** Logs belong to a run: every log call first checks that the run exists. */
export async function requireRun(deps: Deps, runId: string): Promise<void> {
  if (!isRunId(runId)) throw notFound(`Run with id=${runId} not found`);
  await findRunRow(deps.db.kysely, runId);
}
