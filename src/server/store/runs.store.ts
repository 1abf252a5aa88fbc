import type { Kysely, Selectable } from 'kysely';
import { insertActivity, type ActivityEntry } from './activity.store.js';
import type { KeyValue, Metric, Run, RunInfo } from '../../shared/mlflow/types.js';
import { encodeDouble } from '../../shared/mlflow/values.js';
import { isLive, type RunStatus } from '../../shared/run-status.js';
import { ApiError, invalidParameter, notFound } from '../errors.js';
import { loadRunInputs } from './datasets.store.js';
import { loadRunModels } from './logged-models.store.js';
import type { Db } from './db.js';
import { refreshSearchText, touchesSearchText } from './fulltext.store.js';
import { recordStatusChanges } from './notify-outbox.store.js';
import type { Database, RunsTable } from './schema.js';

export type RunRow = Selectable<RunsTable>;

/** Tags whose value also lives in a column of `runs`. */
export const RUN_NAME_TAG = 'mlflow.runName';
export const PARENT_TAG = 'mlflow.parentRunId';

export function toRunInfo(row: RunRow): RunInfo {
  return {
    run_id: row.run_uuid,
    run_uuid: row.run_uuid,
    run_name: row.run_name,
    experiment_id: String(row.experiment_id),
    user_id: row.user_id,
    status: row.status as RunStatus,
    start_time: row.start_time,
    ...(row.end_time === null ? {} : { end_time: row.end_time }),
    artifact_uri: row.artifact_uri,
    lifecycle_stage: row.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
  };
}

export async function findRunRow(db: Kysely<Database>, runId: string): Promise<RunRow> {
  const row = await db.selectFrom('runs').selectAll().where('run_uuid', '=', runId).executeTakeFirst();
  if (!row) throw notFound(`Run with id=${runId} not found`);
  return row;
}

/**
 * A run about to change status, read for the change: on PostgreSQL its row is locked to the
 * end of the transaction, so two changes at once (a cancel and the script's own end) take
 * turns, and each tells its notifications the status it really changed from.
 */
export async function findRunRowForStatus(db: Kysely<Database>, dialect: Db['dialect'], runId: string): Promise<RunRow> {
  const row = await db.selectFrom('runs').selectAll().where('run_uuid', '=', runId).$if(dialect === 'postgres', (qb) => qb.forUpdate()).executeTakeFirst();
  if (!row) throw notFound(`Run with id=${runId} not found`);
  return row;
}

/** A run that may still be written to; MLflow refuses writes to a deleted run. */
export async function findActiveRunRow(db: Kysely<Database>, runId: string): Promise<RunRow> {
  const row = await findRunRow(db, runId);
  if (row.lifecycle_stage !== 'active') {
    throw invalidParameter(`The run ${runId} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`);
  }
  return row;
}

export interface RunData {
  params: Map<string, KeyValue[]>;
  tags: Map<string, KeyValue[]>;
  metrics: Map<string, Metric[]>;
}

function push<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Params, tags and latest metrics of the given runs, in three queries. */
export async function loadRunData(db: Kysely<Database>, runIds: string[]): Promise<RunData> {
  const data: RunData = { params: new Map(), tags: new Map(), metrics: new Map() };
  for (let i = 0; i < runIds.length; i += 900) {
    const ids = runIds.slice(i, i + 900);
    const [params, tags, metrics] = await Promise.all([
      db.selectFrom('params').selectAll().where('run_uuid', 'in', ids).orderBy('key').execute(),
      db.selectFrom('tags').selectAll().where('run_uuid', 'in', ids).orderBy('key').execute(),
      db.selectFrom('latest_metrics').selectAll().where('run_uuid', 'in', ids).orderBy('key').execute(),
    ]);
    for (const p of params) push(data.params, p.run_uuid, { key: p.key, value: p.value });
    for (const t of tags) push(data.tags, t.run_uuid, { key: t.key, value: t.value });
    for (const m of metrics) {
      push(data.metrics, m.run_uuid, { key: m.key, value: encodeDouble(m.is_nan ? Number.NaN : m.value), timestamp: m.timestamp, step: m.step });
    }
  }
  return data;
}

export async function assembleRuns(db: Kysely<Database>, rows: RunRow[]): Promise<Run[]> {
  const runIds = rows.map((r) => r.run_uuid);
  const [data, inputs, models] = await Promise.all([loadRunData(db, runIds), loadRunInputs(db, runIds), loadRunModels(db, runIds)]);
  return rows.map((row) => ({
    info: toRunInfo(row),
    data: {
      metrics: data.metrics.get(row.run_uuid) ?? [],
      params: data.params.get(row.run_uuid) ?? [],
      tags: data.tags.get(row.run_uuid) ?? [],
    },
    inputs: withModelInputs(inputs.get(row.run_uuid) ?? {}, models.inputs.get(row.run_uuid)),
    outputs: models.outputs.get(row.run_uuid) ?? {},
  }));
}

function withModelInputs(inputs: Run['inputs'], modelInputs: { model_id: string }[] | undefined): Run['inputs'] {
  return modelInputs ? { ...inputs, model_inputs: modelInputs } : inputs;
}

export async function getRun(db: Db, runId: string): Promise<Run> {
  const row = await findRunRow(db.kysely, runId);
  const [run] = await assembleRuns(db.kysely, [row]);
  return run!;
}

export interface NewRun {
  runId: string;
  experimentId: number;
  runName: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  artifactUri: string;
  parentRunId: string | null;
  tags: KeyValue[];
}

/** Inserts runs with their tags in the caller's transaction. */
export async function insertRuns(db: Kysely<Database>, dialect: Db['dialect'], runs: NewRun[]): Promise<void> {
  if (runs.length === 0) return;
  for (let i = 0; i < runs.length; i += 200) {
    const chunk = runs.slice(i, i + 200);
    await db
      .insertInto('runs')
      .values(
        chunk.map((r) => ({
          run_uuid: r.runId,
          experiment_id: r.experimentId,
          run_name: r.runName,
          user_id: r.userId,
          status: r.status,
          start_time: r.startTime,
          end_time: null,
          lifecycle_stage: 'active',
          artifact_uri: r.artifactUri,
          parent_run_id: r.parentRunId,
          deleted_time: null,
        })),
      )
      .execute();
    const tags = chunk.flatMap((r) => r.tags.map((t) => ({ run_uuid: r.runId, key: t.key, value: t.value })));
    for (let j = 0; j < tags.length; j += 500) {
      await db.insertInto('tags').values(tags.slice(j, j + 500)).execute();
    }
  }
  await refreshSearchText(db, dialect, runs.map((r) => r.runId));
}

export async function updateRunRow(
  db: Db,
  runId: string,
  changes: { status?: RunStatus | undefined; endTime?: number | undefined; runName?: string | undefined },
  now: number,
  activity: ActivityEntry[] = [],
): Promise<RunRow> {
  return db.write(async (trx) => {
    const current = changes.status === undefined ? await findActiveRunRow(trx, runId) : await findRunRowForStatus(trx, db.dialect, runId);
    if (current.lifecycle_stage !== 'active') throw invalidParameter(`The run ${runId} must be in the 'active' state. Current state is ${current.lifecycle_stage}.`);
    // A launched run that has ended (cancelled, marked failed, lost) keeps that status: the
    // launcher's own final update may arrive after the server ended it, and must not undo it.
    if (changes.status !== undefined && changes.status !== current.status && !isLive(current.status)) {
      const launched = await trx.selectFrom('run_control').select('run_uuid').where('run_uuid', '=', runId).executeTakeFirst();
      if (launched) throw new ApiError('INVALID_STATE', `Run ${runId} has already ended (${current.status}); a launched run's final status is kept.`);
    }
    const set: Partial<RunRow> = {};
    if (changes.status !== undefined) set.status = changes.status;
    if (changes.endTime !== undefined) set.end_time = changes.endTime;
    if (changes.runName !== undefined && changes.runName !== '') set.run_name = changes.runName;
    if (Object.keys(set).length > 0) {
      await trx.updateTable('runs').set(set).where('run_uuid', '=', runId).execute();
    }
    if (set.status !== undefined) await recordStatusChanges(trx, [{ runId, from: current.status, to: set.status, at: now }]);
    if (set.run_name !== undefined) await upsertTags(trx, runId, [{ key: RUN_NAME_TAG, value: set.run_name }]);
    if (set.run_name !== undefined) await refreshSearchText(trx, db.dialect, [runId]);
    await insertActivity(trx, activity);
    return findRunRow(trx, runId);
  });
}

export async function setRunLifecycle(db: Db, runId: string, stage: 'active' | 'deleted', now: number, activity: ActivityEntry[] = []): Promise<void> {
  await findRunRow(db.kysely, runId);
  await db.write(async (trx) => {
    await trx
      .updateTable('runs')
      .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? now : null })
      .where('run_uuid', '=', runId)
      .execute();
    await insertActivity(trx, activity);
  });
}

export async function upsertTags(db: Kysely<Database>, runId: string, tags: KeyValue[]): Promise<void> {
  if (tags.length === 0) return;
  await db
    .insertInto('tags')
    .values(tags.map((t) => ({ run_uuid: runId, key: t.key, value: t.value })))
    .onConflict((oc) => oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}

export async function deleteTag(db: Db, runId: string, key: string, activity: ActivityEntry[] = []): Promise<void> {
  await db.write(async (trx) => {
    await findActiveRunRow(trx, runId);
    const result = await trx.deleteFrom('tags').where('run_uuid', '=', runId).where('key', '=', key).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
    if (key === PARENT_TAG) await trx.updateTable('runs').set({ parent_run_id: null }).where('run_uuid', '=', runId).execute();
    if (touchesSearchText([{ key }])) await refreshSearchText(trx, db.dialect, [runId]);
    await insertActivity(trx, activity);
  });
}
