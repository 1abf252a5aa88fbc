import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { runAttributes } from '../../shared/filter/parse.js';
import type { LogInputs } from '../../shared/mlflow/datasets.js';
import type { createRunBody, logBatchBody, searchRunsBody, updateRunBody } from '../../shared/mlflow/schemas.js';
import type { KeyValue, Run, RunInfo } from '../../shared/mlflow/types.js';
import type { Actor } from '../auth/principal.js';
import { invalidParameter, notFound } from '../errors.js';
import type { ActivityEntry } from '../store/activity.store.js';
import { writeBatch } from '../store/batch.store.js';
import { insertInputs } from '../store/datasets.store.js';
import { insertModelInputs } from '../store/logged-models.store.js';
import { dedupeByKey, findExperimentRow } from '../store/experiments.store.js';
import { metricHistory } from '../store/metric-history.store.js';
import * as runs from '../store/runs.store.js';
import { searchRunRows } from '../store/runs-search.store.js';
import type { Deps } from './deps.js';
import { recordStatusChanges } from '../store/notify-outbox.store.js';
import { checkMaxResults, parseExperimentIds, parseFilterOrThrow, parseOrderByOrThrow } from './filters.js';
import { randomRunName } from './run-names.js';
import { checkKey, checkParam, checkRunName, checkTag, dedupeParams, isRunId, limits } from './validation.js';

export const newRunId = () => randomUUID().replaceAll('-', '');

function tagValue(tags: KeyValue[], key: string): string | undefined {
  return tags.findLast((t) => t.key === key)?.value;
}

/** A run id from the wire: one the server could not have issued names no run. */
function runIdOrThrow(runId: string): string {
  if (!isRunId(runId)) throw notFound(`Run with id=${runId} not found`);
  return runId;
}

const USER_TAG = 'mlflow.user';

/** In team mode the submitter is whoever signed the request in, whatever the client claims. */
function checkUserTag(actor: Actor | null, tags: ReadonlyArray<{ key: string }>): void {
  if (actor?.verified && tags.some((t) => t.key === USER_TAG)) {
    throw invalidParameter(`Tag '${USER_TAG}' is set by the server from who signed in (${actor.name}); it cannot be changed.`);
  }
}

/** What a change of these tags records in the run's activity: display name, description and the user's own tags. */
function tagActivity(actor: Actor | null, runId: string, at: number, changes: ReadonlyArray<{ key: string; value?: string }>, removed: boolean): ActivityEntry[] {
  if (!actor) return [];
  return changes.flatMap(({ key, value }): ActivityEntry[] => {
    const entry = { runId, at, user: actor.name };
    if (key === runs.RUN_NAME_TAG) return removed ? [] : [{ ...entry, action: 'renamed', detail: value ?? null }];
    if (key === 'mlflow.note.content') return [{ ...entry, action: 'described', detail: null }];
    if (key.startsWith('mlflow.') || key.startsWith('runstudio.')) return [];
    return [{ ...entry, action: removed ? 'untagged' : 'tagged', detail: key }];
  });
}

export async function createRun(deps: Deps, body: z.output<typeof createRunBody>, actor: Actor | null = null): Promise<Run> {
  const experiment = await findExperimentRow(deps.db.kysely, body.experiment_id ?? '0');
  if (experiment.lifecycle_stage !== 'active') {
    throw invalidParameter(`Could not create run under non-active experiment with ID ${experiment.experiment_id}.`);
  }
  const claimed = dedupeByKey(body.tags);
  claimed.forEach(checkTag);
  const tags = actor?.verified ? [...claimed.filter((t) => t.key !== USER_TAG), { key: USER_TAG, value: actor.name }] : claimed;
  const tagName = tagValue(tags, runs.RUN_NAME_TAG);
  if (body.run_name && tagName && body.run_name !== tagName) {
    throw invalidParameter(
      `Both 'run_name' argument and '${runs.RUN_NAME_TAG}' tag are specified, but with different values (run_name='${body.run_name}', ${runs.RUN_NAME_TAG}='${tagName}').`,
    );
  }
  const runName = body.run_name || tagName || randomRunName();
  checkRunName(runName);
  const parentRunId = tagValue(tags, runs.PARENT_TAG) || null;
  const runId = newRunId();
  const allTags = [...tags.filter((t) => t.key !== runs.RUN_NAME_TAG), { key: runs.RUN_NAME_TAG, value: runName }];
  const run: runs.NewRun = {
    runId,
    experimentId: experiment.experiment_id,
    runName,
    userId: actor?.verified ? actor.name : body.user_id || tagValue(tags, USER_TAG) || '',
    status: 'RUNNING',
    startTime: body.start_time ?? deps.now(),
    artifactUri: `${experiment.artifact_location}/${runId}/artifacts`,
    parentRunId,
    tags: allTags,
  };
  await deps.db.write(async (trx) => {
    await runs.insertRuns(trx, deps.db.dialect, [run]);
    await recordStatusChanges(trx, [{ runId, from: null, to: run.status, at: deps.now() }]);
  });
  deps.events.publish({ kind: 'created', runId, experimentId: String(run.experimentId), parentRunId });
  // A new run holds exactly what was just written: answer from it rather than re-reading.
  return {
    info: runs.toRunInfo({
      id: 0,
      run_uuid: runId,
      experiment_id: run.experimentId,
      run_name: runName,
      user_id: run.userId,
      status: run.status,
      start_time: run.startTime,
      end_time: null,
      lifecycle_stage: 'active',
      artifact_uri: run.artifactUri,
      parent_run_id: parentRunId,
      deleted_time: null,
    }),
    data: { metrics: [], params: [], tags: [...allTags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) },
    inputs: {},
  };
}

export const getRun = (deps: Deps, runId: string) => runs.getRun(deps.db, runIdOrThrow(runId));

export async function updateRun(deps: Deps, body: z.output<typeof updateRunBody>, actor: Actor | null = null): Promise<RunInfo> {
  if (body.run_name) checkRunName(body.run_name);
  const runId = runIdOrThrow(body.run_id);
  const now = deps.now();
  // A status set here is the run's own end (its script or launcher), not a person's act: the
  // studio's Cancel and Mark as failed record theirs.
  const activity = body.run_name ? tagActivity(actor, runId, now, [{ key: runs.RUN_NAME_TAG, value: body.run_name }], false) : [];
  const row = await runs.updateRunRow(deps.db, runId, { status: body.status, endTime: body.end_time, runName: body.run_name }, now, activity);
  if (body.status) deps.events.publish({ kind: 'status', runId: row.run_uuid, experimentId: String(row.experiment_id), status: row.status });
  if (body.run_name) deps.events.publish({ kind: 'updated', runId: row.run_uuid, experimentId: String(row.experiment_id), fields: ['name'] });
  return runs.toRunInfo(row);
}

export async function deleteRun(deps: Deps, runId: string, actor: Actor | null = null): Promise<void> {
  const now = deps.now();
  await runs.setRunLifecycle(deps.db, runIdOrThrow(runId), 'deleted', now, actor ? [{ runId, at: now, user: actor.name, action: 'deleted', detail: null }] : []);
  deps.events.publish({ kind: 'deleted', runId });
}

export async function restoreRun(deps: Deps, runId: string, actor: Actor | null = null): Promise<void> {
  const now = deps.now();
  await runs.setRunLifecycle(deps.db, runIdOrThrow(runId), 'active', now, actor ? [{ runId, at: now, user: actor.name, action: 'restored', detail: null }] : []);
  deps.events.publish({ kind: 'updated', runId, fields: ['lifecycle'] });
}

/** MLflow's log-batch: limits first, then every key and value, then one transaction. */
export async function logBatch(deps: Deps, body: z.output<typeof logBatchBody>, actor: Actor | null = null): Promise<void> {
  const { metrics, params, tags } = body;
  checkUserTag(actor, tags);
  if (metrics.length > limits.batchMetrics) throw batchLimit('metrics', limits.batchMetrics, metrics.length);
  if (params.length > limits.batchParams) throw batchLimit('params', limits.batchParams, params.length);
  if (tags.length > limits.batchTags) throw batchLimit('tags', limits.batchTags, tags.length);
  const total = metrics.length + params.length + tags.length;
  if (total > limits.batchTotal) {
    throw invalidParameter(`A batch logging request can contain at most ${limits.batchTotal} metrics, params, and tags in total. Got ${total}.`);
  }
  metrics.forEach((m) => checkKey('metric', m.key));
  params.forEach(checkParam);
  tags.forEach(checkTag);
  const runName = tagValue(tags, runs.RUN_NAME_TAG);
  if (runName !== undefined) checkRunName(runName);
  const runId = runIdOrThrow(body.run_id);
  const uniqueTags = dedupeByKey(tags);
  // Who renamed, described or tagged the run, recorded in the same transaction as the tags.
  await writeBatch(deps.db, runId, { metrics, params: dedupeParams(params), tags: uniqueTags }, tagActivity(actor, runId, deps.now(), uniqueTags, false));
  if (metrics.length > 0) deps.events.publish({ kind: 'metrics', runId: body.run_id, keys: [...new Set(metrics.map((m) => m.key))].slice(0, 100) });
  const fields = [...(params.length > 0 ? ['params'] : []), ...tagFields(tags)];
  if (fields.length > 0) deps.events.publish({ kind: 'updated', runId: body.run_id, fields });
}

/** What a page shows differently after these tags are set or deleted. */
function tagFields(tags: ReadonlyArray<{ key: string }>): string[] {
  const fields = new Set<string>();
  for (const { key } of tags) {
    if (key === runs.RUN_NAME_TAG) fields.add('name');
    else if (key === 'mlflow.note.content') fields.add('description');
    else fields.add('tags');
  }
  return [...fields];
}

function batchLimit(kind: string, limit: number, got: number) {
  return invalidParameter(
    `A batch logging request can contain at most ${limit} ${kind}. Got ${got} ${kind}. Please split up ${kind} across multiple requests and try again.`,
  );
}

/** MLflow's set-tag: a batch of one tag (recorded in the run's activity as any batch's tags are). */
export async function setTag(deps: Deps, runId: string, tag: KeyValue, actor: Actor | null = null): Promise<void> {
  await logBatch(deps, { run_id: runId, metrics: [], params: [], tags: [tag] }, actor);
}

export async function deleteTag(deps: Deps, runId: string, key: string, actor: Actor | null = null): Promise<void> {
  checkUserTag(actor, [{ key }]);
  await runs.deleteTag(deps.db, runIdOrThrow(runId), key, tagActivity(actor, runId, deps.now(), [{ key }], true));
  deps.events.publish({ kind: 'updated', runId, fields: tagFields([{ key }]) });
}

export async function getMetricHistory(
  deps: Deps,
  query: { run_id: string; metric_key: string; max_results?: number | undefined; page_token?: string | undefined },
): Promise<{ metrics: Awaited<ReturnType<typeof metricHistory>>; next_page_token?: string }> {
  const limit = checkMaxResults(query.max_results, 1_000_000, 1_000_000);
  const offset = query.page_token ? Number(Buffer.from(query.page_token, 'base64').toString('utf8')) : 0;
  if (!Number.isSafeInteger(offset) || offset < 0) throw invalidParameter(`Invalid page token '${query.page_token}'`);
  const metrics = await metricHistory(deps.db, runIdOrThrow(query.run_id), query.metric_key, limit + 1, offset);
  if (metrics.length <= limit) return { metrics };
  metrics.length = limit;
  return { metrics, next_page_token: Buffer.from(String(offset + limit)).toString('base64') };
}

/** MLflow's runs/search. An empty experiment list matches no run, as in MLflow. */
export async function searchRuns(deps: Deps, body: z.output<typeof searchRunsBody>): Promise<{ runs: Run[]; next_page_token?: string }> {
  const pageSize = checkMaxResults(body.max_results, 1000, 50_000);
  // An id that is not an experiment id ('zero') is a 400, not a search that finds nothing.
  const experimentIds = parseExperimentIds(body.experiment_ids, 'experiment_ids');
  const page = await searchRunRows(deps.db, {
    experimentIds,
    clauses: parseFilterOrThrow(body.filter, runAttributes),
    orderBy: parseOrderByOrThrow(body.order_by, runAttributes),
    viewType: body.run_view_type,
    pageToken: body.page_token,
    pageSize,
  });
  const found = await runs.assembleRuns(deps.db.kysely, page.rows);
  return page.nextPageToken ? { runs: found, next_page_token: page.nextPageToken } : { runs: found };
}

/**
 * MLflow's runs/log-inputs: datasets with their input tags, and (MLflow 3) the logged models
 * the run used. Sizes are checked by the body's schema (MLflow's limits).
 */
export async function logInputs(deps: Deps, body: LogInputs): Promise<void> {
  const runId = runIdOrThrow(body.run_id);
  await deps.db.write(async (trx) => {
    // A deleted run is refused, as log-batch refuses it.
    const run = await runs.findActiveRunRow(trx, runId);
    await insertInputs(trx, run, body.datasets);
    await insertModelInputs(trx, runId, body.models.map((m) => m.model_id));
  });
  deps.events.publish({ kind: 'updated', runId, fields: ['datasets'] });
}
