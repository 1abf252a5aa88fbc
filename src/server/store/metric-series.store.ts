import { sql, type RawBuilder } from 'kysely';
import type { MetricSeries, SeriesPoint } from '../../shared/studio/metrics.js';
import type { Db } from './db.js';

/** A read-only query: on a SQLite worker when there are some, else on the main store. */
async function read<T>(db: Db, query: RawBuilder<unknown>): Promise<{ rows: T[] }> {
  if (db.readers) {
    const rows = await db.readers.all<T>(query.compile(db.kysely)).catch(() => null);
    if (rows) return { rows };
  }
  return (await query.execute(db.kysely)) as { rows: T[] };
}

export type RollupRow = { bucket: number | string; n: number | string; min_value: number; min_step: number | string; min_ts: number | string; max_value: number; max_step: number | string; max_ts: number | string };

/**
 * Merges rollup rows (ordered by bucket) into maxPoints / 2 groups that keep their exact
 * lowest and highest point. Null when the history is short enough to send whole: the scan
 * is then cheap and exact.
 */
export function mergeRollups(rows: RollupRow[], maxPoints: number): { total: number; points: SeriesPoint[] } | null {
  const total = rows.reduce((sum, r) => sum + Number(r.n), 0);
  const groups = Math.max(1, Math.floor(maxPoints / 2));
  if (rows.length === 0 || total <= maxPoints || rows.length < groups) return null;
  const first = Number(rows[0]!.bucket);
  const span = Number(rows[rows.length - 1]!.bucket) - first + 1;
  const merged = new Map<number, { lo: SeriesPoint; hi: SeriesPoint }>();
  for (const r of rows) {
    const g = Math.floor(((Number(r.bucket) - first) * groups) / span);
    const lo = { step: Number(r.min_step), timestamp: Number(r.min_ts), value: Number(r.min_value) };
    const hi = { step: Number(r.max_step), timestamp: Number(r.max_ts), value: Number(r.max_value) };
    const seen = merged.get(g);
    if (!seen) merged.set(g, { lo, hi });
    else {
      if (lo.value < seen.lo.value!) seen.lo = lo;
      if (hi.value > seen.hi.value!) seen.hi = hi;
    }
  }
  const points = [...merged.values()]
    .flatMap(({ lo, hi }) => (lo.step === hi.step && lo.timestamp === hi.timestamp ? [lo] : [lo, hi]))
    .map((p) => (Number.isFinite(p.value) ? p : { ...p, value: null }))
    .sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  return { total, points };
}

/** A long history along steps, from metric_rollups: ~1 row per ROLLUP_WIDTH steps instead of every point. */
async function seriesFromRollups(db: Db, run: { id: number; run_uuid: string }, key: string, maxPoints: number): Promise<MetricSeries | null> {
  const { rows } = await read<RollupRow>(
    db,
    sql`SELECT bucket, n, min_value, min_step, min_ts, max_value, max_step, max_ts FROM metric_rollups WHERE run_id = ${run.id} AND key = ${key} ORDER BY bucket`,
  );
  const merged = mergeRollups(rows, maxPoints);
  return merged && { runId: run.run_uuid, key, total: merged.total, downsampled: true, points: merged.points };
}

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
  if (x === 'step') {
    const fromRollups = await seriesFromRollups(db, run, key, maxPoints);
    if (fromRollups) return fromRollups;
  }
  const axis = sql.raw(x === 'step' ? 'step' : 'timestamp');
  const stats = await read<{ n: number | string; lo: number | string | null; hi: number | string | null }>(
    db,
    sql`SELECT count(*) AS n, min(${axis}) AS lo, max(${axis}) AS hi FROM metrics WHERE run_id = ${run.id} AND key = ${key}`,
  );
  const { n, lo, hi } = stats.rows[0] ?? { n: 0, lo: null, hi: null };
  const total = Number(n);
  if (total <= maxPoints || lo === null || hi === null) {
    const all = await read<Row>(db, sql<Row>`SELECT step, timestamp, value, is_nan FROM metrics WHERE run_id = ${run.id} AND key = ${key} ORDER BY ${axis}, step, timestamp`);
    return { runId: run.run_uuid, key, total, downsampled: false, points: all.rows.map(toPoint) };
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const span = Number(hi) - Number(lo) + 1;
  const bucket = sql`CAST(((${axis} - CAST(${Number(lo)} AS BIGINT)) * CAST(${buckets} AS BIGINT)) / CAST(${span} AS BIGINT) AS BIGINT)`;
  if (db.dialect === 'sqlite') {
    // SQLite fills bare columns from the very row holding a lone MIN() or MAX(): two
    // grouped scans give each bucket's exact lowest and highest point, ~6x faster than
    // ranking every row with window functions.
    const extreme = (fn: 'MIN' | 'MAX') =>
      read<Row>(db, sql<Row>`SELECT ${bucket} AS b, ${sql.raw(fn)}(value) AS value, step, timestamp, is_nan
        FROM metrics WHERE run_id = ${run.id} AND key = ${key} AND is_nan = 0 GROUP BY b`);
    const [low, high] = await Promise.all([extreme('MIN'), extreme('MAX')]);
    const seen = new Set<string>();
    const points = [...low.rows, ...high.rows]
      .filter((r) => {
        const id = `${r.step}:${r.timestamp}:${r.value}`;
        return seen.has(id) ? false : (seen.add(id), true);
      })
      .map(toPoint)
      .sort((a, b) => (x === 'step' ? a.step - b.step || a.timestamp - b.timestamp : a.timestamp - b.timestamp || a.step - b.step));
    return { runId: run.run_uuid, key, total, downsampled: true, points };
  }
  const { rows } = await sql<Row>`
    WITH m AS (
      SELECT step, timestamp, value, is_nan, ${bucket} AS b
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
