/** Steps per rollup bucket: a chart of a 100k-step history reads ~1,000 rows, not 100,000. */
export const ROLLUP_WIDTH = 100;

/**
 * Fills metric_rollups from the history: per run, key and bucket of ROLLUP_WIDTH steps, the
 * lowest and the highest point with their step and time. Used once by the migration, and
 * by benches that write history directly. Plain SQL that SQLite and PostgreSQL both run.
 * One pass over the history (two sorts): each bucket's lowest point is its row numbered 1,
 * and carries the highest point as FIRST_VALUE of the opposite order. A self-join of the
 * numbered rows did the same, but PostgreSQL planned it as a nested loop over the whole
 * window CTE (4.5 min for 6,000 runs × 30 points).
 */
export const backfillRollupsSql = `
INSERT INTO metric_rollups (run_id, key, bucket, n, min_value, min_step, min_ts, max_value, max_step, max_ts)
SELECT run_id, key, bucket, n, value, step, timestamp, max_value, max_step, max_ts
FROM (
  SELECT run_id, key, step / ${ROLLUP_WIDTH} AS bucket, value, step, timestamp,
         ROW_NUMBER() OVER lo AS lo_rank,
         COUNT(*) OVER b AS n,
         FIRST_VALUE(value) OVER hi AS max_value,
         FIRST_VALUE(step) OVER hi AS max_step,
         FIRST_VALUE(timestamp) OVER hi AS max_ts
  FROM metrics WHERE is_nan = 0
  WINDOW b AS (PARTITION BY run_id, key, step / ${ROLLUP_WIDTH}),
         lo AS (b ORDER BY value ASC, step),
         hi AS (b ORDER BY value DESC, step)
) numbered
WHERE lo_rank = 1`;
