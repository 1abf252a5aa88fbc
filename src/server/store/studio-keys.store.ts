import { sql, type RawBuilder } from 'kysely';
import type { RunKeys, StudioExperiment } from '../../shared/studio/experiments.js';
import type { Db } from './db.js';

/** Experiments with their active run counts and newest run, one grouped query. */
export async function listStudioExperiments(db: Db): Promise<StudioExperiment[]> {
  const { rows } = await sql<{
    experiment_id: number;
    name: string;
    lifecycle_stage: string;
    creation_time: number;
    last_update_time: number;
    run_count: number | string | null;
    last_run_time: number | string | null;
  }>`
    SELECT e.experiment_id, e.name, e.lifecycle_stage, e.creation_time, e.last_update_time,
           r.run_count, r.last_run_time
    FROM experiments e
    LEFT JOIN (
      SELECT experiment_id, count(*) AS run_count, max(start_time) AS last_run_time
      FROM runs WHERE lifecycle_stage = 'active' GROUP BY experiment_id
    ) r ON r.experiment_id = e.experiment_id
    WHERE e.lifecycle_stage = 'active'
    ORDER BY e.name`.execute(db.kysely);
  return rows.map((r) => ({
    experimentId: String(r.experiment_id),
    name: r.name,
    lifecycleStage: r.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    creationTime: r.creation_time,
    lastUpdateTime: r.last_update_time,
    runCount: Number(r.run_count ?? 0),
    lastRunTime: r.last_run_time === null ? null : Number(r.last_run_time),
  }));
}

const MAX_KEYS = 500;

/**
 * At most this many runs in scope, their rows are read as they are (cheap); past it, the
 * distinct keys and values are walked through an index instead, one seek per value.
 */
const SCAN_SCOPE_RUNS = 2_000;

/** Whether the experiments in scope hold few enough runs to read their rows directly. */
async function smallScope(db: Db, experimentIds: number[]): Promise<boolean> {
  if (experimentIds.length === 0) return false;
  const { rows } = await sql<{ n: number | string }>`SELECT count(*) AS n FROM (
    SELECT 1 FROM runs WHERE experiment_id IN (${sql.join(experimentIds)}) LIMIT ${SCAN_SCOPE_RUNS + 1}) AS scope`.execute(db.kysely);
  return Number(rows[0]?.n ?? 0) <= SCAN_SCOPE_RUNS;
}

/** Rows of `alias` whose run is in scope: a lookup per row, so an index walk stays in key order. */
function runInScope(alias: string, experimentIds: number[]) {
  return experimentIds.length === 0 ? sql`` : sql`AND (SELECT r.experiment_id FROM runs r WHERE r.run_uuid = ${sql.ref(`${alias}.run_uuid`)}) IN (${sql.join(experimentIds)})`;
}

/**
 * Distinct metric, param and tag keys of the runs in scope (every run when none given): by
 * a loose index scan over the (key, value) indexes, one seek per key, unless the scope is small.
 */
export async function runKeys(db: Db, experimentIds: number[]): Promise<RunKeys> {
  const small = await smallScope(db, experimentIds);
  const keysOf = async (table: 'latest_metrics' | 'params' | 'tags') => {
    const t = sql.table(table);
    const next = (bound: RawBuilder<unknown>) => sql`(SELECT kv.key FROM ${t} kv WHERE ${bound} ${runInScope('kv', experimentIds)} ORDER BY kv.key LIMIT 1)`;
    const query = small
      ? sql<{ key: string }>`SELECT DISTINCT key FROM ${t} WHERE run_uuid IN (SELECT run_uuid FROM runs WHERE experiment_id IN (${sql.join(experimentIds)})) ORDER BY key LIMIT ${MAX_KEYS}`
      : sql<{ key: string }>`WITH RECURSIVE walk(key) AS (
          SELECT ${next(sql`kv.key >= ''`)}
          UNION ALL
          SELECT ${next(sql`kv.key > walk.key`)} FROM walk WHERE walk.key IS NOT NULL
        )
        SELECT key FROM walk WHERE key IS NOT NULL LIMIT ${MAX_KEYS}`;
    return (await query.execute(db.kysely)).rows.map((r) => r.key);
  };
  const [metrics, params, tags] = await Promise.all([keysOf('latest_metrics'), keysOf('params'), keysOf('tags')]);
  return { metrics, params, tags };
}

/** Up to 50 distinct values of one key (or of the submitter / compute target), by prefix. */
export async function keyValues(
  db: Db,
  query: { entity: 'param' | 'tag' | 'metric' | 'user' | 'compute'; key: string; prefix: string; experimentIds: number[] },
): Promise<string[]> {
  if (query.entity === 'metric') return [];
  const like = `${query.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const source: Source =
    query.entity === 'user'
      ? { table: 'runs', column: 'user_id', key: null }
      : { table: query.entity === 'param' ? 'params' : 'tags', column: 'value', key: query.entity === 'compute' ? 'runstudio.compute' : query.key };
  // Submitters are walked per experiment (runs_experiment_user), whatever the scope's size.
  const walk = query.experimentIds.length <= MAX_SEEK_SCOPE && (source.table === 'runs' || !(await smallScope(db, query.experimentIds)));
  const { rows } = await (walk ? walkValues(db, source, query.prefix, like, query.experimentIds) : scanValues(source, like, query.experimentIds)).execute(db.kysely);
  return rows.map((r) => String(r.v));
}

/** Where suggested values live: the submitter of runs, or the values of one param or tag key. */
interface Source {
  table: 'runs' | 'params' | 'tags';
  column: 'user_id' | 'value';
  key: string | null;
}

/** Past this many experiments in scope, submitters are read by a plain scan. */
const MAX_SEEK_SCOPE = 50;

/**
 * Distinct values starting with `prefix`, in order, by a loose index scan: one seek from each
 * value to the next over runs_user / runs_experiment_user (submitters) or the (key, value)
 * index of params and tags, so a keystroke costs a seek per distinct value shown rather than
 * a read of every run in scope. The walk is in byte ("C") order, where the values sharing a
 * prefix are contiguous: it starts at the prefix and stops at the first value without it.
 */
function walkValues(db: Db, source: Source, prefix: string, like: string, experimentIds: number[]) {
  const col = db.dialect === 'postgres' ? sql`${sql.ref(source.column)} COLLATE "C"` : sql.ref(source.column);
  const next = (bound: RawBuilder<unknown>) => {
    if (source.table === 'runs') {
      if (experimentIds.length === 0) return sql`(SELECT min(${col}) FROM runs WHERE ${bound})`;
      const each = experimentIds.map((id) => sql`SELECT (SELECT min(${col}) FROM runs WHERE experiment_id = ${id} AND ${bound}) AS m`);
      return sql`(SELECT min(m) FROM (${sql.join(each, sql` UNION ALL `)}) AS each_experiment)`;
    }
    return sql`(SELECT min(${col}) FROM ${sql.table(source.table)} kv WHERE key = ${source.key} AND ${bound} ${runInScope('kv', experimentIds)})`;
  };
  // A submitter is never empty; a param or tag value may be.
  const first = source.table === 'runs' ? sql`${col} >= ${prefix} AND ${col} > ''` : sql`${col} >= ${prefix}`;
  // The database's default collation orders the answer, as the plain scan does.
  const order = db.dialect === 'postgres' ? sql`v COLLATE "default"` : sql`v`;
  return sql<{ v: string }>`
    WITH RECURSIVE walk(v) AS (
      SELECT ${next(first)}
      UNION ALL
      SELECT ${next(sql`${col} > walk.v`)} FROM walk WHERE walk.v LIKE ${like} ESCAPE '\\'
    )
    SELECT v FROM walk WHERE v LIKE ${like} ESCAPE '\\' ORDER BY ${order} LIMIT 50`;
}

function scanValues(source: Source, like: string, experimentIds: number[]) {
  if (source.table === 'runs') {
    return sql<{ v: string }>`SELECT DISTINCT user_id AS v FROM runs
      WHERE user_id LIKE ${like} ESCAPE '\\' AND user_id != '' AND experiment_id IN (${sql.join(experimentIds)}) ORDER BY v LIMIT 50`;
  }
  return sql<{ v: string }>`SELECT DISTINCT value AS v FROM ${sql.table(source.table)}
    WHERE key = ${source.key} AND value LIKE ${like} ESCAPE '\\'
      AND run_uuid IN (SELECT run_uuid FROM runs WHERE experiment_id IN (${sql.join(experimentIds)})) ORDER BY v LIMIT 50`;
}
