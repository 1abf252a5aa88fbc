import { runBatch } from './workload.js';
import { fmt, post as postJson, type Figure } from './support.js';

/**
 * Budget "metric ingest through runs/log-batch": N runs, each runs/create + one log-batch
 * (5 params, 5 tags, 3 metrics × 100 steps) + runs/update, from `workers` concurrent clients,
 * each request carrying `headers` (a team-mode token).
 */
export async function benchIngest(url: string, runs: number, workers = 16, headers: Record<string, string> = {}): Promise<{ figures: Figure[]; experimentId: string; runIds: string[] }> {
  const api = `${url}/api/2.0/mlflow`;
  const post = <T>(to: string, body: unknown) => postJson<T>(to, body, headers);
  const { experiment_id: experimentId } = await post<{ experiment_id: string }>(`${api}/experiments/create`, { name: `ingest-${Date.now()}` });
  const runIds = new Array<string>(runs);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < runs; i = next++) {
        const { run } = await post<{ run: { info: { run_id: string } } }>(`${api}/runs/create`, { experiment_id: experimentId, run_name: `run-${i}`, start_time: 1_700_000_000_000 + i });
        runIds[i] = run.info.run_id;
        await post(`${api}/runs/log-batch`, { run_id: run.info.run_id, ...runBatch(i, 100) });
        await post(`${api}/runs/update`, { run_id: run.info.run_id, status: 'FINISHED', end_time: 1_700_000_100_000 + i });
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const points = runs * 300;
  return {
    experimentId,
    runIds,
    figures: [
      { what: `ingest: ${runs.toLocaleString()} runs over HTTP (${workers} clients), runs/s`, value: fmt(runs / seconds), budget: '—', met: null },
      { what: 'ingest: metric points/s through runs/log-batch', value: fmt(points / seconds, 0), budget: '≥ 100,000', met: points / seconds >= 100_000 },
    ],
  };
}
