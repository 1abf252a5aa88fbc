import type { z } from 'zod';
import type { metricSeriesBody } from '../../shared/studio/metrics.js';
import { metricSeries } from '../store/metric-series.store.js';
import type { Deps } from './deps.js';
import { isRunId } from './validation.js';

/** Batched, downsampled series for charts: every (run, key) pair asked for that exists. */
export async function seriesFor(deps: Deps, body: z.output<typeof metricSeriesBody>) {
  const ids = [...new Set(body.runIds.filter(isRunId))];
  const runs = ids.length === 0 ? [] : await deps.db.kysely.selectFrom('runs').select(['id', 'run_uuid']).where('run_uuid', 'in', ids).execute();
  const byId = new Map(runs.map((r) => [r.run_uuid, r]));
  // All series at once: SQLite spreads them over its reader threads, PostgreSQL over its pool.
  const jobs = ids.flatMap((runId) => {
    const run = byId.get(runId);
    return run ? [...new Set(body.keys)].map((key) => metricSeries(deps.db, run, key, body.maxPoints, body.x)) : [];
  });
  return { series: await Promise.all(jobs) };
}
