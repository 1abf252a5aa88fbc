import { sql } from 'kysely';
import type { MetricSeries, SeriesPoint } from '../../shared/studio/metrics.js';
import type { Db } from './db.js';

type Row = { step: number | string; timestamp: number | string; value: number | string; is_nan: number | string };

const toPoint = (r: Row): SeriesPoint => {
  const value = Number(r.value);
  return { step: Number(r.step), timestamp: Number(r.timestamp), value: Number(r.is_nan) === 1 || !Number.isFinite(value) ? null : value };
};

/**
 * One series for a chart. Up to `maxPoints` points come as logged; a longer history is cut
 * into `maxPoints / 2` buckets along x, and each bucket keeps its lowest and its highest
 * point, so a spike is never averaged away.
 */
export async function metricSeries(db: Db, run: { id: number; run_uuid: string }, key: string, maxPoints: number, x: 'step' | 'time'): Promise<MetricSeries> {
  const axis = sql.raw(x === 'step' ? 'step' : 'timestamp');
  const stats = await sql<{ n: number | string; lo: number | string | null; hi: number | string | null }>`
    SELECT count(*) AS n, min(${axis}) AS lo, max(${axis}) AS hi FROM metrics WHERE run_id = ${run.id} AND key = ${key}`.execute(db.kysely);
  const { n, lo, hi } = stats.rows[0] ?? { n: 0, lo: null, hi: null };
  const total = Number(n);
  if (total <= maxPoints || lo === null || hi === null) {
    const all = await sql<Row>`SELECT step, timestamp, value, is_nan FROM metrics WHERE run_id = ${run.id} AND key = ${key} ORDER BY ${axis}, step, timestamp`.execute(db.kysely);
    return { runId: run.run_uuid, key, total, downsampled: false, points: all.rows.map(toPoint) };
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const span = Number(hi) - Number(lo) + 1;
  const { rows } = await sql<Row>`
    WITH m AS (
      SELECT step, timestamp, value, is_nan,
             ((${axis} - CAST(${Number(lo)} AS BIGINT)) * CAST(${buckets} AS BIGINT)) / CAST(${span} AS BIGINT) AS b
      FROM metrics WHERE run_id = ${run.id} AND key = ${key} AND is_nan = 0
    ), r AS (
      SELECT step, timestamp, value, is_nan,
             ROW_NUMBER() OVER (PARTITION BY b ORDER BY value ASC, ${axis}) AS low,
             ROW_NUMBER() OVER (PARTITION BY b ORDER BY value DESC, ${axis}) AS high
      FROM m
    )
    SELECT step, timestamp, value, is_nan FROM r WHERE low = 1 OR high = 1 ORDER BY ${axis}, step, timestamp`.execute(db.kysely);
  return { runId: run.run_uuid, key, total, downsampled: true, points: rows.map(toPoint) };
}
