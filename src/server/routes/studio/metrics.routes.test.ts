import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, testServer, type TestServer } from '../../test-support/backends.js';

describe.each(backends())('metric series on %s', (backend) => {
  let server: TestServer;
  let runId: string;
  beforeAll(async () => {
    server = await testServer(backend);
    runId = (await server.post(`${ML}/runs/create`, {})).body.run.info.run_id;
    for (let start = 0; start < 5000; start += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => {
        const step = start + i;
        return { key: 'loss', value: step === 3333 ? 100 : step === 4444 ? -50 : 1 / (step + 1), timestamp: 1_000_000 + step * 10, step };
      });
      await server.post(`${ML}/runs/log-batch`, { run_id: runId, metrics });
    }
    await server.post(`${ML}/runs/log-batch`, { run_id: runId, metrics: [{ key: 'acc', value: 0.5, timestamp: 1, step: 0 }, { key: 'acc', value: 'NaN', timestamp: 2, step: 1 }, { key: 'acc', value: 0.7, timestamp: 3, step: 2 }] });
  });
  afterAll(async () => {
    await server.close();
  });

  it('returns short histories whole, NaN as null', async () => {
    const res = await server.post('/api/studio/metrics/series', { runIds: [runId], keys: ['acc'] });
    expect(res.body.series).toEqual([
      { runId, key: 'acc', total: 3, downsampled: false, points: [{ step: 0, timestamp: 1, value: 0.5 }, { step: 1, timestamp: 2, value: null }, { step: 2, timestamp: 3, value: 0.7 }] },
    ]);
  });

  it('downsamples long histories to the budget, keeping spikes', async () => {
    const res = await server.post('/api/studio/metrics/series', { runIds: [runId, runId], keys: ['loss', 'missing'], maxPoints: 200 });
    const [loss, missing] = res.body.series;
    expect(res.body.series).toHaveLength(2);
    expect(loss).toMatchObject({ key: 'loss', total: 5000, downsampled: true });
    expect(loss.points.length).toBeLessThanOrEqual(200);
    expect(loss.points.length).toBeGreaterThan(150);
    const values = loss.points.map((p: { value: number }) => p.value);
    expect(Math.max(...values)).toBe(100);
    expect(Math.min(...values)).toBe(-50);
    const steps = loss.points.map((p: { step: number }) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(missing).toMatchObject({ key: 'missing', total: 0, points: [] });
    const byTime = await server.post('/api/studio/metrics/series', { runIds: [runId], keys: ['loss'], maxPoints: 100, x: 'time' });
    expect(byTime.body.series[0].points.length).toBeLessThanOrEqual(100);
  });

  it('draws a long history from rollups kept exact across batches in any order', async () => {
    const long = (await server.post(`${ML}/runs/create`, {})).body.run.info.run_id;
    const batches = Array.from({ length: 30 }, (_, b) => b).reverse();
    for (const b of batches) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: 'loss', value: 1 + Math.sin((b * 1000 + i) / 500), timestamp: b * 1000 + i, step: b * 1000 + i }));
      await server.post(`${ML}/runs/log-batch`, { run_id: long, metrics });
    }
    // Late points into existing buckets: a spike up and a spike down, logged last.
    await server.post(`${ML}/runs/log-batch`, { run_id: long, metrics: [{ key: 'loss', value: 99, timestamp: 1, step: 12_345 }, { key: 'loss', value: -7, timestamp: 1, step: 20_001 }] });
    const res = await server.post('/api/studio/metrics/series', { runIds: [long], keys: ['loss'], maxPoints: 400 });
    const [series] = res.body.series;
    expect(series).toMatchObject({ total: 30_002, downsampled: true });
    expect(series.points.length).toBeLessThanOrEqual(400);
    expect(series.points.length).toBeGreaterThan(300);
    expect(series.points).toContainEqual({ step: 12_345, timestamp: 1, value: 99 });
    expect(series.points).toContainEqual({ step: 20_001, timestamp: 1, value: -7 });
    const steps = series.points.map((p: { step: number }) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    const values = series.points.map((p: { value: number }) => p.value);
    expect(Math.min(...values.filter((v: number) => v > -7))).toBeCloseTo(0, 2);
  });

  it('validates the request', async () => {
    for (const body of [{}, { runIds: [], keys: ['a'] }, { runIds: [runId], keys: [] }, { runIds: [runId], keys: ['a'], maxPoints: 5 }, { runIds: [runId], keys: ['a'], x: 'epoch' }]) {
      const res = await server.post('/api/studio/metrics/series', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const unknown = await server.post('/api/studio/metrics/series', { runIds: ['nope'], keys: ['loss'] });
    expect(unknown.body.series).toEqual([]);
  });
});
