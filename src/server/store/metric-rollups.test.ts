import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricSeries } from '../../shared/studio/metrics.js';
import { backends, ML, testServer, type TestServer } from '../test-support/backends.js';
import { backfillRollupsSql, ROLLUP_WIDTH } from './migrations/rollups.sql.js';
import { mergeRollups, type RollupRow } from './metric-series.store.js';

interface Point {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** The rollup rows a full scan of the stored history gives: per bucket, count, lowest and highest. */
function rollupsFromHistory(history: Point[]): RollupRow[] {
  const buckets = new Map<number, RollupRow>();
  for (const p of history) {
    const bucket = Math.trunc(p.step / ROLLUP_WIDTH);
    const row = buckets.get(bucket);
    if (!row) {
      buckets.set(bucket, { bucket, n: 1, min_value: p.value, min_step: p.step, min_ts: p.timestamp, max_value: p.value, max_step: p.step, max_ts: p.timestamp });
      continue;
    }
    row.n = Number(row.n) + 1;
    if (p.value < row.min_value) Object.assign(row, { min_value: p.value, min_step: p.step, min_ts: p.timestamp });
    if (p.value > row.max_value) Object.assign(row, { max_value: p.value, max_step: p.step, max_ts: p.timestamp });
  }
  return [...buckets.values()].sort((a, b) => Number(a.bucket) - Number(b.bucket));
}

/**
 * Distinct points of one metric (values distinct, so the lowest and highest point of a bucket
 * are unique), and batches that send them with duplicates inside a batch and whole batches
 * retried, as MLflow clients do after a timeout.
 */
const scenario = fc
  .uniqueArray(fc.record({ step: fc.integer({ min: 0, max: 1999 }), timestamp: fc.integer({ min: 1, max: 5 }) }), { minLength: 40, maxLength: 400, selector: (p) => `${p.step}:${p.timestamp}` })
  .chain((points) => {
    const distinct = points.map((p, i) => ({ key: 'loss', step: p.step, timestamp: p.timestamp, value: Math.sin(i * 7.3) * 100 + i / 1000 }));
    const index = fc.integer({ min: 0, max: distinct.length - 1 });
    const batch = fc.array(index, { minLength: 1, maxLength: 120 }).map((ids) => ids.map((i) => distinct[i]!));
    return fc.record({ distinct: fc.constant(distinct), batches: fc.array(batch, { minLength: 1, maxLength: 8 }), retries: fc.array(fc.nat(), { maxLength: 4 }) });
  });

describe.each(backends())('metric rollups on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer(backend);
  });
  afterAll(async () => {
    await server.close();
  });

  it('count each stored point once, whatever is retried: the chart from rollups equals the one from a full scan', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ distinct, batches, retries }) => {
        const runId = (await server.post(`${ML}/runs/create`, { experiment_id: '0' })).body.run.info.run_id as string;
        // Every point at least once, so the history spans the whole step range.
        const sends = [...batches, distinct, ...retries.map((r) => batches[r % batches.length]!)];
        for (const metrics of sends) {
          const res = await server.post(`${ML}/runs/log-batch`, { run_id: runId, metrics });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
        }
        const history = (await server.get(`${ML}/metrics/get-history?run_id=${runId}&metric_key=loss`)).body.metrics as Point[];
        expect(history).toHaveLength(distinct.length);
        const expected = mergeRollups(rollupsFromHistory(history), 10);
        const served = (await server.post('/api/studio/metrics/series', { runIds: [runId], keys: ['loss'], maxPoints: 10 })).body.series as MetricSeries[];
        if (expected === null) {
          expect(served[0]!.downsampled).toBe(false);
          return;
        }
        expect(served[0]).toMatchObject({ total: distinct.length, downsampled: true });
        expect(served[0]!.points).toEqual(expected.points);
      }),
      { numRuns: 25 },
    );
  });

  it('backfill from the history (migration 0003) computes the rollups that ingest keeps', async () => {
    for (let r = 0; r < 3; r += 1) {
      const runId = (await server.post(`${ML}/runs/create`, { experiment_id: '0' })).body.run.info.run_id as string;
      const metrics = ['loss', 'acc'].flatMap((key, k) =>
        Array.from({ length: 2 * ROLLUP_WIDTH + 51 }, (_, step) => ({ key, step, timestamp: 1 + (step % 7), value: Math.sin((step + 31 * k + 97 * r) * 7.3) * 100 + step / 1000 })),
      );
      // Some points twice (a retried batch): each is stored, and counted, once.
      expect((await server.post(`${ML}/runs/log-batch`, { run_id: runId, metrics: [...metrics.slice(40, 90), ...metrics] })).status).toBe(200);
    }
    const all = () => sql<Record<string, unknown>>`SELECT * FROM metric_rollups ORDER BY run_id, key, bucket`.execute(server.db.kysely).then((r) => r.rows);
    const kept = await all();
    expect(kept.length).toBeGreaterThanOrEqual(18);
    await sql`DELETE FROM metric_rollups`.execute(server.db.kysely);
    await sql.raw(backfillRollupsSql).execute(server.db.kysely);
    expect(await all()).toEqual(kept);
  });
});
