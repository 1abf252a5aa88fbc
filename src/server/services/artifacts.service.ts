import { invalidParameter, notFound } from '../errors.js';
import { safeSegments } from '../blobs/paths.js';
import { MODEL_ID_PATTERN } from '../../shared/mlflow/logged-models.js';
import { findModelRow } from '../store/logged-models.store.js';
import { findRunRow, type RunRow } from '../store/runs.store.js';
import type { Deps } from './deps.js';
import { isRunId } from './validation.js';

const SCHEME = 'mlflow-artifacts:/';

/** The run's artifact root as path segments under the artifact store. */
const runRoot = (run: RunRow): string[] => rootOf(run.artifact_uri, `Run ${run.run_uuid}`);

/** A root under the artifact store, from a `mlflow-artifacts:/` URI. */
function rootOf(uri: string, owner: string): string[] {
  if (!uri.startsWith(SCHEME)) throw invalidParameter(`${owner} keeps its artifacts elsewhere (${uri}).`);
  return safeSegments(uri.slice(SCHEME.length), 'artifact root');
}

/** `<experiment>/models/<model_id>/artifacts/...`: a live logged model's artifacts (MLflow 3). */
async function modelProxyPath(deps: Deps, path: string, segments: string[]): Promise<{ segments: string[]; root: string[] }> {
  const modelId = segments[2] ?? '';
  if (segments.length < 4 || !MODEL_ID_PATTERN.test(modelId)) {
    throw invalidParameter(`Invalid artifact path '${path}': expected <experiment_id>/models/<model_id>/artifacts/...`);
  }
  const model = await findModelRow(deps.db.kysely, modelId);
  const root = rootOf(model.artifact_uri, `Logged model ${modelId}`);
  if (root.some((s, i) => segments[i] !== s)) throw invalidParameter(`Invalid artifact path '${path}': it is not inside logged model ${modelId}'s artifacts.`);
  return { segments, root };
}

/**
 * A path of MLflow's artifact proxy (`<experiment>/<run>/artifacts/...`, or a logged model's
 * `<experiment>/models/<model_id>/artifacts/...`): it must name an existing run's (or live
 * model's) artifact directory, and nothing outside it.
 */
export async function proxyPath(deps: Deps, path: string): Promise<{ segments: string[]; root: string[] }> {
  const segments = safeSegments(path, 'artifact path');
  if (segments[1] === 'models') return modelProxyPath(deps, path, segments);
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

/** A directory of a live logged model's artifacts (`artifact_directory_path` below its root). */
export async function modelArtifactPath(deps: Deps, modelId: string, path: string): Promise<{ rootUri: string; segments: string[]; root: string[] }> {
  if (!MODEL_ID_PATTERN.test(modelId)) throw notFound(`Logged model with ID '${modelId}' not found.`);
  const model = await findModelRow(deps.db.kysely, modelId);
  const root = rootOf(model.artifact_uri, `Logged model ${modelId}`);
  return { rootUri: model.artifact_uri, root, segments: [...root, ...safeSegments(path, 'artifact path')] };
}
