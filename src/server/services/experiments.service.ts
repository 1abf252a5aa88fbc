import type { z } from 'zod';
import { experimentAttributes } from '../../shared/filter/parse.js';
import type { createExperimentBody, searchExperimentsBody } from '../../shared/mlflow/schemas.js';
import type { Experiment } from '../../shared/mlflow/types.js';
import { safeSegments } from '../blobs/paths.js';
import { invalidParameter } from '../errors.js';
import * as store from '../store/experiments.store.js';
import { searchExperiments as searchRows } from '../store/experiments-search.store.js';
import type { Deps } from './deps.js';
import { checkMaxResults, parseFilterOrThrow, parseOrderByOrThrow } from './filters.js';
import { checkTag } from './validation.js';

const OWN_ARTIFACTS = 'mlflow-artifacts:/';

/**
 * An experiment keeps its artifacts in this server's store unless the operator allows other
 * locations: otherwise a foreign client could point an experiment at its own bucket, and every
 * later run of that name would upload there.
 */
function checkArtifactLocation(deps: Deps, location: string | undefined): void {
  if (!location || deps.options.allowArtifactLocations) return;
  if (location.startsWith(OWN_ARTIFACTS)) {
    safeSegments(location.slice(OWN_ARTIFACTS.length), 'artifact_location');
    return;
  }
  throw invalidParameter(
    `Invalid value for parameter 'artifact_location': '${location.slice(0, 200)}' is not allowed; this server keeps artifacts itself (leave it empty, or use mlflow-artifacts:/…). Start the server with --allow-artifact-locations to allow other locations.`,
  );
}

export async function createExperiment(deps: Deps, body: z.output<typeof createExperimentBody>): Promise<string> {
  if (body.name.length > 500) throw invalidParameter(`Experiment name had length ${body.name.length}, which exceeded length limit of 500`);
  checkArtifactLocation(deps, body.artifact_location);
  body.tags.forEach(checkTag);
  return store.insertExperiment(deps.db, { name: body.name, artifactLocation: body.artifact_location, tags: body.tags, now: deps.now() });
}

export const getExperiment = (deps: Deps, id: string) => store.getExperiment(deps.db, id);
export const getExperimentByName = (deps: Deps, name: string) => store.getExperimentByName(deps.db, name);

/**
 * One row, however many runs the experiment has: the studio search matches an experiment's
 * name through each run's experiment (fulltext.store.ts), so no run's index is rewritten.
 */
export async function renameExperiment(deps: Deps, id: string, newName: string): Promise<void> {
  await store.renameExperiment(deps.db, id, newName, deps.now());
}

export async function deleteExperiment(deps: Deps, id: string): Promise<void> {
  await store.setExperimentLifecycle(deps.db, id, 'deleted', deps.now());
}

export async function restoreExperiment(deps: Deps, id: string): Promise<void> {
  await store.setExperimentLifecycle(deps.db, id, 'active', deps.now());
}

export async function setExperimentTag(deps: Deps, id: string, key: string, value: string): Promise<void> {
  checkTag({ key, value });
  await store.setExperimentTag(deps.db, id, { key, value });
}

export async function searchExperiments(
  deps: Deps,
  body: z.output<typeof searchExperimentsBody>,
): Promise<{ experiments: Experiment[]; next_page_token?: string }> {
  const maxResults = checkMaxResults(body.max_results, 1000, 50_000);
  const offset = decodeOffset(body.page_token);
  const { experiments, hasMore } = await searchRows(deps.db, {
    clauses: parseFilterOrThrow(body.filter, experimentAttributes),
    orderBy: parseOrderByOrThrow(body.order_by, experimentAttributes),
    viewType: body.view_type,
    maxResults,
    offset,
  });
  return hasMore ? { experiments, next_page_token: encodeOffset(offset + maxResults) } : { experiments };
}

function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function decodeOffset(token: string | undefined): number {
  if (!token) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: unknown };
    if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the error below
  }
  throw invalidParameter(`Invalid page token '${token.slice(0, 40)}'`);
}
