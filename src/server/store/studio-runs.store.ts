import { sql } from 'kysely';
import type { ChildRun, StudioRun } from '../../shared/studio/runs.js';
import type { RunStatus } from '../../shared/run-status.js';
import type { Db } from './db.js';
import { loadRunData, type RunRow } from './runs.store.js';

/** Studio-shaped runs: latest metrics, params and tags as maps, experiment name, child count. */
export async function toStudioRuns(db: Db, rows: RunRow[]): Promise<StudioRun[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.run_uuid);
  const experimentIds = [...new Set(rows.map((r) => r.experiment_id))];
  const [data, experiments, children] = await Promise.all([
    loadRunData(db.kysely, ids),
    db.kysely.selectFrom('experiments').select(['experiment_id', 'name']).where('experiment_id', 'in', experimentIds).execute(),
    db.kysely
      .selectFrom('runs')
      .select(['parent_run_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('parent_run_id', 'in', ids)
      .where('lifecycle_stage', '=', 'active')
      .groupBy('parent_run_id')
      .execute(),
  ]);
  const experimentName = new Map(experiments.map((e) => [e.experiment_id, e.name]));
  const childCount = new Map(children.map((c) => [c.parent_run_id, Number(c.n)]));
  return rows.map((row) => ({
    runId: row.run_uuid,
    runName: row.run_name,
    experimentId: String(row.experiment_id),
    experimentName: experimentName.get(row.experiment_id) ?? '',
    userId: row.user_id,
    status: row.status as RunStatus,
    startTime: row.start_time,
    endTime: row.end_time,
    lifecycleStage: row.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    parentRunId: row.parent_run_id,
    childCount: childCount.get(row.run_uuid) ?? 0,
    metrics: Object.fromEntries((data.metrics.get(row.run_uuid) ?? []).map((m) => [m.key, { value: m.value, step: m.step, timestamp: m.timestamp }])),
    params: Object.fromEntries((data.params.get(row.run_uuid) ?? []).map((p) => [p.key, p.value])),
    tags: Object.fromEntries((data.tags.get(row.run_uuid) ?? []).map((t) => [t.key, t.value])),
  }));
}

/** Children of a run: direct ones, or every descendant (any depth) with its depth. */
export async function childRunRows(db: Db, runId: string, recursive: boolean): Promise<Array<RunRow & { depth: number }>> {
  if (!recursive) {
    const rows = await db.kysely
      .selectFrom('runs')
      .selectAll()
      .where('parent_run_id', '=', runId)
      .where('lifecycle_stage', '=', 'active')
      .orderBy('start_time', 'desc')
      .orderBy('run_uuid')
      .execute();
    return rows.map((r) => ({ ...r, depth: 1 }));
  }
  // UNION (not UNION ALL) and the depth bound stop a cycle of parent tags from looping.
  const { rows } = await sql<RunRow & { depth: number }>`
    WITH RECURSIVE tree(run_uuid, depth) AS (
      SELECT run_uuid, 1 FROM runs WHERE parent_run_id = ${runId} AND lifecycle_stage = 'active'
      UNION
      SELECT c.run_uuid, t.depth + 1 FROM runs c JOIN tree t ON c.parent_run_id = t.run_uuid
      WHERE c.lifecycle_stage = 'active' AND t.depth < 100
    )
    SELECT r.id, r.run_uuid, r.experiment_id, r.run_name, r.user_id, r.status, r.start_time, r.end_time,
           r.lifecycle_stage, r.artifact_uri, r.parent_run_id, r.deleted_time, min(tree.depth) AS depth
    FROM tree JOIN runs r ON r.run_uuid = tree.run_uuid
    GROUP BY r.id, r.run_uuid, r.experiment_id, r.run_name, r.user_id, r.status, r.start_time, r.end_time,
             r.lifecycle_stage, r.artifact_uri, r.parent_run_id, r.deleted_time
    ORDER BY depth, r.start_time DESC, r.run_uuid`.execute(db.kysely);
  return rows.map((r) => ({ ...r, depth: Number(r.depth) }));
}

export type { ChildRun };
