import { invalidParameter, notFound } from '../errors.js';
import { safeSegments } from '../blobs/paths.js';
import { findRunRow, type RunRow } from '../store/runs.store.js';
import type { Deps } from './deps.js';
import { isRunId } from './validation.js';

const SCHEME = 'mlflow-artifacts:/';

/** The run's artifact root as path segments under the artifact store. */
function runRoot(run: RunRow): string[] {
  if (!run.artifact_uri.startsWith(SCHEME)) throw invalidParameter(`Run ${run.run_uuid} keeps its artifacts elsewhere (${run.artifact_uri}).`);
  return safeSegments(run.artifact_uri.slice(SCHEME.length), 'artifact root');
}

/**
 * A path of MLflow's artifact proxy (`<experiment>/<run>/artifacts/...`): it must name an
 * existing run's artifact directory, and nothing outside it.
 */
export async function proxyPath(deps: Deps, path: string): Promise<{ segments: string[]; root: string[] }> {
  const segments = safeSegments(path, 'artifact path');
  const [, runId] = segments;
  if (segments.length < 3 || !runId || !isRunId(runId)) {
    throw invalidParameter(`Invalid artifact path '${path}': expected <experiment_id>/<run_id>/artifacts/...`);
  }
  const run = await findRunRow(deps.db.kysely, runId).catch(() => null);
  if (!run) throw notFound(`Run with id=${runId} not found`);
  const root = runRoot(run);
  if (root.some((s, i) => segments[i] !== s)) throw invalidParameter(`Invalid artifact path '${path}': it is not inside run ${runId}'s artifacts.`);
  return { segments, root };
}

/** `artifacts/list` of the MLflow API: a path relative to a run's artifact root. */
export async function runArtifactPath(deps: Deps, runId: string, path: string): Promise<{ run: RunRow; segments: string[]; root: string[] }> {
  if (!isRunId(runId)) throw notFound(`Run with id=${runId} not found`);
  const run = await findRunRow(deps.db.kysely, runId);
  const root = runRoot(run);
  return { run, root, segments: [...root, ...safeSegments(path, 'artifact path')] };
}
