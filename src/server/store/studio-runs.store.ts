import type { ChildRun, StudioRun } from '../../shared/studio/runs.js';
import type { RunStatus } from '../../shared/run-status.js';
import type { Db } from './db.js';
import { datasetChips } from './datasets.store.js';
import { modelsOfRuns } from './logged-models.store.js';
import { controlsOf, toRunControl } from './run-control.store.js';
import { loadRunData, type RunRow } from './runs.store.js';

/**
 * How many active children each run has, for at most one page of ids. The ids are bound as
 * constants: PostgreSQL then estimates each from its statistics, where a correlated
 * `parent_run_id = r.run_uuid` made it scan the table for every row under a large sweep.
 */
export async function childCounts(db: Db, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('runs')
    .select(['parent_run_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('parent_run_id', 'in', ids)
    .where('lifecycle_stage', '=', 'active')
    .groupBy('parent_run_id')
    .execute();
  return new Map(rows.map((c) => [c.parent_run_id!, Number(c.n)]));
}

/** Studio-shaped runs: latest metrics, params and tags as maps, experiment name, child count. */
export async function toStudioRuns(db: Db, rows: RunRow[]): Promise<StudioRun[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.run_uuid);
  const experimentIds = [...new Set(rows.map((r) => r.experiment_id))];
  const [data, experiments, childCount, controls, inputs, models] = await Promise.all([
    loadRunData(db.kysely, ids),
    db.kysely.selectFrom('experiments').select(['experiment_id', 'name']).where('experiment_id', 'in', experimentIds).execute(),
    childCounts(db, ids),
    controlsOf(db, ids),
    datasetChips(db.kysely, ids),
    modelsOfRuns(db.kysely, ids),
  ]);
  const experimentName = new Map(experiments.map((e) => [e.experiment_id, e.name]));
  return rows.map((row) => {
    const { launched, cancelRequested } = toRunControl(controls.get(row.run_uuid), row.status);
    return {
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
      launched,
      cancelRequested,
      metrics: Object.fromEntries((data.metrics.get(row.run_uuid) ?? []).map((m) => [m.key, { value: m.value, step: m.step, timestamp: m.timestamp }])),
      params: Object.fromEntries((data.params.get(row.run_uuid) ?? []).map((p) => [p.key, p.value])),
      tags: Object.fromEntries((data.tags.get(row.run_uuid) ?? []).map((t) => [t.key, t.value])),
      datasets: inputs.get(row.run_uuid) ?? [],
      models: models.get(row.run_uuid) ?? [],
    };
  });
}

export type { ChildRun };
