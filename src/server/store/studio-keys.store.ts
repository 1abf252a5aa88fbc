import { sql } from 'kysely';
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

function scope(experimentIds: number[]) {
  return experimentIds.length === 0
    ? sql``
    : sql`WHERE run_uuid IN (SELECT run_uuid FROM runs WHERE experiment_id IN (${sql.join(experimentIds)}))`;
}

/** Distinct metric, param and tag keys of the runs in scope (every run when none given). */
export async function runKeys(db: Db, experimentIds: number[]): Promise<RunKeys> {
  const keysOf = async (table: 'latest_metrics' | 'params' | 'tags') =>
    (
      await sql<{ key: string }>`SELECT DISTINCT key FROM ${sql.table(table)} ${scope(experimentIds)} ORDER BY key LIMIT ${MAX_KEYS}`.execute(db.kysely)
    ).rows.map((r) => r.key);
  const [metrics, params, tags] = await Promise.all([keysOf('latest_metrics'), keysOf('params'), keysOf('tags')]);
  return { metrics, params, tags };
}

/** Up to 50 distinct values of one key (or of the submitter / compute target), by prefix. */
export async function keyValues(
  db: Db,
  query: { entity: 'param' | 'tag' | 'metric' | 'user' | 'compute'; key: string; prefix: string; experimentIds: number[] },
): Promise<string[]> {
  const prefix = `${query.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const runScope = query.experimentIds.length === 0 ? sql`` : sql`AND run_uuid IN (SELECT run_uuid FROM runs WHERE experiment_id IN (${sql.join(query.experimentIds)}))`;
  let rows: Array<{ v: unknown }>;
  if (query.entity === 'user') {
    const expScope = query.experimentIds.length === 0 ? sql`` : sql`AND experiment_id IN (${sql.join(query.experimentIds)})`;
    rows = (await sql<{ v: string }>`SELECT DISTINCT user_id AS v FROM runs WHERE user_id LIKE ${prefix} ESCAPE '\\' AND user_id != '' ${expScope} ORDER BY v LIMIT 50`.execute(db.kysely)).rows;
  } else if (query.entity === 'metric') {
    rows = [];
  } else {
    const table = sql.table(query.entity === 'param' ? 'params' : 'tags');
    const key = query.entity === 'compute' ? 'runstudio.compute' : query.key;
    rows = (await sql<{ v: string }>`SELECT DISTINCT value AS v FROM ${table} WHERE key = ${key} AND value LIKE ${prefix} ESCAPE '\\' ${runScope} ORDER BY v LIMIT 50`.execute(db.kysely)).rows;
  }
  return rows.map((r) => String(r.v));
}
