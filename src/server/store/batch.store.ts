import { CompiledQuery, sql, type Kysely } from 'kysely';
import { insertActivity, type ActivityEntry } from './activity.store.js';
import type { KeyValue } from '../../shared/mlflow/types.js';
import { invalidParameter } from '../errors.js';
import type { Db } from './db.js';
import { refreshSearchText, touchesSearchText } from './fulltext.store.js';
import { findActiveRunRow, PARENT_TAG, RUN_NAME_TAG, upsertTags, type RunRow } from './runs.store.js';
import { insertModelMetrics, type ModelMetricPoint } from './logged-models.store.js';
import { ROLLUP_WIDTH } from './migrations/rollups.sql.js';
import type { Database, LatestMetricsTable } from './schema.js';

export type MetricPoint = ModelMetricPoint;

export interface Batch {
  metrics: MetricPoint[];
  params: KeyValue[];
  tags: KeyValue[];
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function toRow(runId: string, m: MetricPoint): LatestMetricsTable {
  const isNan = Number.isNaN(m.value);
  return { run_uuid: runId, key: m.key, step: m.step, timestamp: m.timestamp, value: isNan ? 0 : m.value, is_nan: isNan ? 1 : 0 };
}

/** MLflow's "latest": the highest step, then the latest timestamp, then the largest value. */
function isLater(a: LatestMetricsTable, b: LatestMetricsTable): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}

/**
 * Writes one log-batch in one transaction: every point of the history, the latest value per
 * key, params (immutable), and tags. Any error rolls the whole batch back.
 */
export async function writeBatch(db: Db, runId: string, batch: Batch, activity: ActivityEntry[] = []): Promise<void> {
  await db.write(async (trx) => {
    const run = await findActiveRunRow(trx, runId);
    // Keys in one order, so concurrent upserts on PostgreSQL take row locks in one order.
    await writeParams(trx, runId, [...batch.params].sort(byKey));
    await writeMetrics(trx, db.dialect, run, batch.metrics);
    // A point logged for a model (MLflow 3) is also the model's, with its dataset.
    await insertModelMetrics(trx, runId, batch.metrics);
    if (batch.tags.length > 0) {
      await upsertTags(trx, runId, [...batch.tags].sort(byKey));
      await applySpecialTags(trx, run.run_uuid, batch.tags);
      if (touchesSearchText(batch.tags)) await refreshSearchText(trx, db.dialect, [runId]);
    }
    await insertActivity(trx, activity);
  });
}

async function writeParams(trx: Kysely<Database>, runId: string, params: KeyValue[]): Promise<void> {
  if (params.length === 0) return;
  await trx
    .insertInto('params')
    .values(params.map((p) => ({ run_uuid: runId, key: p.key, value: p.value })))
    .onConflict((oc) => oc.columns(['run_uuid', 'key']).doNothing())
    .execute();
  // Read back after the insert: a key stored earlier, or by a concurrent request, with
  // another value makes the whole batch fail.
  const stored = await trx
    .selectFrom('params')
    .select(['key', 'value'])
    .where('run_uuid', '=', runId)
    .where('key', 'in', params.map((p) => p.key))
    .execute();
  const storedValue = new Map(stored.map((p) => [p.key, p.value]));
  for (const p of params) {
    const old = storedValue.get(p.key);
    if (old !== undefined && old !== p.value) {
      throw invalidParameter(
        `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${old}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
      );
    }
  }
}

async function writeMetrics(trx: Kysely<Database>, dialect: Db['dialect'], run: RunRow, metrics: MetricPoint[]): Promise<void> {
  if (metrics.length === 0) return;
  const rows = metrics.map((m) => toRow(run.run_uuid, m));
  // Rollups count only the points this insert stored: a retried batch, or a point logged
  // twice, is in the history once and must be counted once.
  const stored = await insertHistory(trx, dialect, run.id, rows);
  await upsertRollups(trx, dialect, run.id, stored);
  const latest = new Map<string, LatestMetricsTable>();
  for (const row of rows) {
    const seen = latest.get(row.key);
    if (!seen || isLater(row, seen)) latest.set(row.key, row);
  }
  await trx
    .insertInto('latest_metrics')
    .values([...latest.values()].sort(byKey))
    .onConflict((oc) =>
      oc
        .columns(['run_uuid', 'key'])
        .doUpdateSet((eb) => ({
          step: eb.ref('excluded.step'),
          timestamp: eb.ref('excluded.timestamp'),
          value: eb.ref('excluded.value'),
          is_nan: eb.ref('excluded.is_nan'),
        }))
        .where(
          sql<boolean>`excluded.step > latest_metrics.step
            OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
            OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)`,
        ),
    )
    .execute();
}

type StoredPoint = Pick<LatestMetricsTable, 'key' | 'step' | 'timestamp' | 'value' | 'is_nan'>;

/**
 * The hot path of ingest: a batch's whole history as one multi-row INSERT with plain bound
 * parameters. Its text depends only on the row count (cached, as is its prepared statement),
 * and no query tree of thousands of values is built for it. Returns the rows it stored
 * (a point already in the history is skipped).
 */
const historyInsertText = new Map<string, string>();
async function insertHistory(trx: Kysely<Database>, dialect: Db['dialect'], runRowId: number, rows: LatestMetricsTable[]): Promise<StoredPoint[]> {
  const cacheKey = `${dialect}:${rows.length}`;
  let text = historyInsertText.get(cacheKey);
  if (!text) {
    const tuples = rows.map((_, r) =>
      dialect === 'postgres' ? `($${r * 6 + 1}, $${r * 6 + 2}, $${r * 6 + 3}, $${r * 6 + 4}, $${r * 6 + 5}, $${r * 6 + 6})` : '(?, ?, ?, ?, ?, ?)',
    );
    text = `INSERT INTO metrics (run_id, key, step, timestamp, value, is_nan) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING
      RETURNING key, step, timestamp, value, is_nan`;
    if (historyInsertText.size < 2000) historyInsertText.set(cacheKey, text);
  }
  const parameters: unknown[] = [];
  for (const r of rows) parameters.push(runRowId, r.key, r.step, r.timestamp, r.value, r.is_nan);
  return (await trx.executeQuery<StoredPoint>(CompiledQuery.raw(text, parameters))).rows;
}

interface Rollup {
  key: string;
  bucket: number;
  n: number;
  min: StoredPoint;
  max: StoredPoint;
}

const rollupUpsertText = new Map<string, string>();

/**
 * Keeps metric_rollups current: per bucket of ROLLUP_WIDTH steps, the lowest and highest
 * point. A batch is folded into one row per bucket first, then merged with what is stored,
 * keeping whichever extreme is more extreme.
 */
async function upsertRollups(trx: Kysely<Database>, dialect: Db['dialect'], runRowId: number, rows: StoredPoint[]): Promise<void> {
  const byBucket = new Map<string, Rollup>();
  for (const row of rows) {
    if (row.is_nan) continue;
    const bucket = Math.trunc(row.step / ROLLUP_WIDTH);
    const id = `${row.key}\u0000${bucket}`;
    const seen = byBucket.get(id);
    if (!seen) byBucket.set(id, { key: row.key, bucket, n: 1, min: row, max: row });
    else {
      seen.n += 1;
      if (row.value < seen.min.value || (row.value === seen.min.value && row.step < seen.min.step)) seen.min = row;
      if (row.value > seen.max.value || (row.value === seen.max.value && row.step < seen.max.step)) seen.max = row;
    }
  }
  if (byBucket.size === 0) return;
  const rollups = [...byBucket.values()].sort((a, b) => byKey(a, b) || a.bucket - b.bucket);
  const cacheKey = `${dialect}:${rollups.length}`;
  let text = rollupUpsertText.get(cacheKey);
  if (!text) {
    const tuples = rollups.map((_, r) => `(${Array.from({ length: 10 }, (_, c) => (dialect === 'postgres' ? `$${r * 10 + c + 1}` : '?')).join(', ')})`);
    const better = (op: '<' | '>', col: 'min' | 'max', field: string) =>
      `${col}_${field} = CASE WHEN excluded.${col}_value ${op} metric_rollups.${col}_value THEN excluded.${col}_${field} ELSE metric_rollups.${col}_${field} END`;
    text = `INSERT INTO metric_rollups (run_id, key, bucket, n, min_value, min_step, min_ts, max_value, max_step, max_ts) VALUES ${tuples.join(', ')}
      ON CONFLICT (run_id, key, bucket) DO UPDATE SET n = metric_rollups.n + excluded.n,
      ${['value', 'step', 'ts'].map((f) => better('<', 'min', f)).join(', ')},
      ${['value', 'step', 'ts'].map((f) => better('>', 'max', f)).join(', ')}`;
    if (rollupUpsertText.size < 2000) rollupUpsertText.set(cacheKey, text);
  }
  const parameters: unknown[] = [];
  for (const r of rollups) parameters.push(runRowId, r.key, r.bucket, r.n, r.min.value, r.min.step, r.min.timestamp, r.max.value, r.max.step, r.max.timestamp);
  await trx.executeQuery(CompiledQuery.raw(text, parameters));
}

/** Keeps the columns that mirror tags (display name, parent run) in step with them. */
async function applySpecialTags(trx: Kysely<Database>, runId: string, tags: KeyValue[]): Promise<void> {
  for (const tag of tags) {
    if (tag.key === RUN_NAME_TAG && tag.value !== '') {
      await trx.updateTable('runs').set({ run_name: tag.value }).where('run_uuid', '=', runId).execute();
    } else if (tag.key === PARENT_TAG) {
      if (tag.value === runId) throw invalidParameter(`A run cannot be its own parent (tag '${PARENT_TAG}').`);
      await trx.updateTable('runs').set({ parent_run_id: tag.value || null }).where('run_uuid', '=', runId).execute();
    }
  }
}
