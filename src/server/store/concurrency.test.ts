import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, listeningServer } from '../test-support/backends.js';

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe.each(backends())('32 concurrent writers on %s', (backend) => {
  let server: Awaited<ReturnType<typeof listeningServer>>;
  let api: string;
  beforeAll(async () => {
    server = await listeningServer(backend);
    api = `${server.url}/api/2.0/mlflow`;
  });
  afterAll(async () => {
    await server.close();
  });

  it('lose no point when all write to one run', async () => {
    const run = await post(`${api}/runs/create`, {});
    const runId = run.body.run.info.run_id;
    const writers = Array.from({ length: 32 }, async (_, w) => {
      for (let b = 0; b < 5; b += 1) {
        const res = await post(`${api}/runs/log-batch`, {
          run_id: runId,
          metrics: Array.from({ length: 20 }, (_, i) => ({ key: `m${i % 4}`, value: w, timestamp: 1, step: w * 100 + b * 20 + i })),
          params: [{ key: 'shared', value: 'same' }, { key: `writer${w}`, value: String(w) }],
          tags: [{ key: 'last', value: String(w) }],
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
    });
    await Promise.all(writers);
    let total = 0;
    for (let k = 0; k < 4; k += 1) {
      const history = await fetch(`${api}/metrics/get-history?run_id=${runId}&metric_key=m${k}`).then((r) => r.json() as Promise<{ metrics: unknown[] }>);
      total += history.metrics.length;
    }
    expect(total).toBe(32 * 5 * 20);
    const got = await fetch(`${api}/runs/get?run_id=${runId}`).then((r) => r.json() as Promise<{ run: { data: { params: unknown[]; metrics: Array<{ step: number }> } } }>);
    expect(got.run.data.params).toHaveLength(33);
    // The latest value of each key is the one with the highest step overall.
    expect(Math.max(...got.run.data.metrics.map((m) => m.step))).toBe(31 * 100 + 4 * 20 + 19);
  });

  it('lose no point when each writes to its own run', async () => {
    const runIds = await Promise.all(Array.from({ length: 32 }, async () => (await post(`${api}/runs/create`, {})).body.run.info.run_id as string));
    await Promise.all(
      runIds.map(async (runId) => {
        for (let b = 0; b < 5; b += 1) {
          const res = await post(`${api}/runs/log-batch`, {
            run_id: runId,
            metrics: Array.from({ length: 100 }, (_, i) => ({ key: 'loss', value: i, timestamp: b, step: b * 100 + i })),
          });
          expect(res.status).toBe(200);
        }
      }),
    );
    for (const runId of runIds) {
      const history = await fetch(`${api}/metrics/get-history?run_id=${runId}&metric_key=loss`).then((r) => r.json() as Promise<{ metrics: unknown[] }>);
      expect(history.metrics).toHaveLength(500);
    }
  });

  it('let exactly one of two conflicting param values win', async () => {
    const runId = (await post(`${api}/runs/create`, {})).body.run.info.run_id;
    const results = await Promise.all(
      Array.from({ length: 32 }, (_, w) => post(`${api}/runs/log-parameter`, { run_id: runId, key: 'lr', value: String(w % 2) })),
    );
    const stored = (await fetch(`${api}/runs/get?run_id=${runId}`).then((r) => r.json() as Promise<{ run: { data: { params: Array<{ value: string }> } } }>)).run.data.params;
    expect(stored).toHaveLength(1);
    const winner = stored[0]!.value;
    results.forEach((res, w) => expect(res.status).toBe(String(w % 2) === winner ? 200 : 400));
  });
});
