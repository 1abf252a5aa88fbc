/** Steps per rollup bucket: a chart of a 100k-step history reads ~1,000 rows, not 100,000. */
export const ROLLUP_WIDTH = 100;

/**
 * Fills metric_rollups from the history: per run, key and bucket of ROLLUP_WIDTH steps, the
 * lowest and the highest point with their step and time. Used once by the migration, and
 * by benches that write history directly. Plain SQL that SQLite and PostgreSQL both run.
 */
export const backfillRollupsSql = `
WITH r AS (
  SELECT run_id, key, step / ${ROLLUP_WIDTH} AS bucket, value, step, timestamp,
         ROW_NUMBER() OVER (PARTITION BY run_id, key, step / ${ROLLUP_WIDTH} ORDER BY value ASC, step) AS lo,
         ROW_NUMBER() OVER (PARTITION BY run_id, key, step / ${ROLLUP_WIDTH} ORDER BY value DESC, step) AS hi,
         COUNT(*) OVER (PARTITION BY run_id, key, step / ${ROLLUP_WIDTH}) AS n
  FROM metrics WHERE is_nan = 0
)
INSERT INTO metric_rollups (run_id, key, bucket, n, min_value, min_step, min_ts, max_value, max_step, max_ts)
SELECT l.run_id, l.key, l.bucket, l.n, l.value, l.step, l.timestamp, h.value, h.step, h.timestamp
FROM r l JOIN r h ON h.run_id = l.run_id AND h.key = l.key AND h.bucket = l.bucket AND h.hi = 1
WHERE l.lo = 1`;
