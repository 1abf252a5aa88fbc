import type { z } from 'zod';
import { runAttributes } from '../../shared/filter/parse.js';
import type { ChildRunsPage, childrenQuery, createChildrenBody, StudioRun, StudioSearchRunsResponse, studioSearchRunsBody } from '../../shared/studio/runs.js';
import { invalidParameter, notFound } from '../errors.js';
import { findExperimentRow } from '../store/experiments.store.js';
import * as runs from '../store/runs.store.js';
import { searchRunRows } from '../store/runs-search.store.js';
import { ancestorIds } from '../store/run-lineage.store.js';
import { childRunPage } from '../store/run-children.store.js';
import { toStudioRuns } from '../store/studio-runs.store.js';
import type { Deps } from './deps.js';
import type { Actor } from '../auth/principal.js';
import { listActivity } from '../store/activity.store.js';
import { parseExperimentIds, parseFilterOrThrow, parseOrderByOrThrow } from './filters.js';
import { newRunId } from './runs.service.js';
import { checkTag, isRunId } from './validation.js';

/**
 * The studio's run search: MLflow's filter plus full-text `q`, child counts, and the total
 * counted once per search, on its first page (a later page, by token, answers null).
 */
export async function searchStudioRuns(deps: Deps, body: z.output<typeof studioSearchRunsBody>): Promise<StudioSearchRunsResponse> {
  const experimentIds = body.experimentIds.length === 0 ? null : parseExperimentIds(body.experimentIds, 'experimentIds');
  const page = await searchRunRows(deps.db, {
    experimentIds,
    clauses: parseFilterOrThrow(body.filter, runAttributes),
    orderBy: parseOrderByOrThrow(body.orderBy, runAttributes),
    viewType: body.viewType,
    q: body.q,
    parentRunId: body.parentRunId === undefined ? null : body.parentRunId === '*' ? undefined : body.parentRunId,
    runIds: body.runIds,
    pageToken: body.pageToken,
    pageSize: body.pageSize,
    withTotal: !body.pageToken,
  });
  return { runs: await toStudioRuns(deps.db, page.rows), total: page.total, nextPageToken: page.nextPageToken };
}

async function existingRun(deps: Deps, runId: string) {
  if (!isRunId(runId)) throw notFound(`Run with id=${runId} not found`);
  return runs.findRunRow(deps.db.kysely, runId);
}

export async function listAncestors(deps: Deps, runId: string) {
  await existingRun(deps, runId);
  return { runs: await ancestorIds(deps.db, runId) };
}

/** One keyset page of a run's children, or (recursive) of its whole tree in pre-order. */
export async function listChildren(deps: Deps, runId: string, query: z.output<typeof childrenQuery>): Promise<ChildRunsPage> {
  await existingRun(deps, runId);
  const page = await childRunPage(deps.db, runId, query);
  const studio = await toStudioRuns(deps.db, page.rows);
  return { runs: studio.map((run, i) => ({ ...run, depth: page.rows[i]!.depth })), nextPageToken: page.nextPageToken };
}

/** Tags every child gets from the server: a sweep over one of them would set it twice. */
const SERVER_SET_TAGS: readonly string[] = [runs.RUN_NAME_TAG, runs.PARENT_TAG, 'mlflow.user'];

/**
 * Creates many child runs of one parent in one transaction (the seed's create_children):
 * `count` numbered children, or one child per value of `tagKey`. They start Queued.
 */
export async function createChildren(deps: Deps, parentId: string, body: z.output<typeof createChildrenBody>, actor: Actor | null = null): Promise<{ runs: StudioRun[] }> {
  if ('tagKey' in body && SERVER_SET_TAGS.includes(body.tagKey)) {
    throw invalidParameter(`Invalid value for parameter 'tagKey': '${body.tagKey}' is set on each child by the server (name, parent, submitter); sweep over another tag.`);
  }
  const parent = await runs.findActiveRunRow(deps.db.kysely, (await existingRun(deps, parentId)).run_uuid);
  const experiment = await findExperimentRow(deps.db.kysely, String(parent.experiment_id));
  const now = deps.now();
  // In team mode the children are the signed-in user's, as any run they create.
  const submitter = actor?.verified ? actor.name : parent.user_id;
  const specs = 'count' in body
    ? Array.from({ length: body.count }, (_, i) => ({ name: `${parent.run_name}-${i + 1}`, tags: [] as Array<{ key: string; value: string }> }))
    : body.tagValues.map((value) => {
        const tag = { key: body.tagKey, value };
        checkTag(tag);
        return { name: `${parent.run_name} ${body.tagKey}=${value}`.slice(0, 500), tags: [tag] };
      });
  const newRuns = specs.map((spec) => {
    const runId = newRunId();
    return {
      runId,
      experimentId: parent.experiment_id,
      runName: spec.name,
      userId: submitter,
      status: 'SCHEDULED' as const,
      startTime: now,
      artifactUri: `${experiment.artifact_location}/${runId}/artifacts`,
      parentRunId: parent.run_uuid,
      tags: [
        ...spec.tags,
        { key: runs.RUN_NAME_TAG, value: spec.name },
        { key: runs.PARENT_TAG, value: parent.run_uuid },
        ...(submitter ? [{ key: 'mlflow.user', value: submitter }] : []),
      ],
    };
  });
  await deps.db.write((trx) => runs.insertRuns(trx, deps.db.dialect, newRuns));
  for (const run of newRuns) deps.events.publish({ kind: 'created', runId: run.runId, experimentId: String(run.experimentId), parentRunId: run.parentRunId });
  const rows = await deps.db.kysely.selectFrom('runs').selectAll().where('run_uuid', 'in', newRuns.map((r) => r.runId)).orderBy('id').execute();
  return { runs: await toStudioRuns(deps.db, rows) };
}

/** Who changed a run by hand, newest first; a run that does not exist is a 404. */
export async function listRunActivity(deps: Deps, runId: string, limit: number) {
  await existingRun(deps, runId);
  return listActivity(deps.db, runId, limit);
}
