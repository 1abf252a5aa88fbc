import { fmt, freshDataDir, percentile, post, sample, startServer, type Figure } from './support.js';

/**
 * MLflow 3's logged models and datasets at scale, through the HTTP API of a real server
 * (SQLite): BENCH_MODELS runs (5,000 by default), each with 2 dataset inputs out of 20, and
 * one logged model with 3 params, 2 tags and 2 metrics × 5 steps linked to it (one of them on
 * a dataset). Then: logged-model search (default order; a metric + param filter ordered by a
 * metric), the studio's run page of 100 with its Datasets and Models, runs/get of one run.
 * `npx tsx bench/logged-models.bench.ts` alone, or within `npm run bench`.
 */
const MODELS = Number(process.env.BENCH_MODELS ?? 5_000);
const CONCURRENCY = 8;

async function inBatches(count: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

async function seed(url: string): Promise<{ experimentId: string; runIds: string[] }> {
  const ml = `${url}/api/2.0/mlflow`;
  const { experiment_id: experimentId } = await post<{ experiment_id: string }>(`${ml}/experiments/create`, { name: 'models-bench' });
  const runIds: string[] = [];
  await inBatches(MODELS, async (i) => {
    const { run } = await post<{ run: { info: { run_id: string } } }>(`${ml}/runs/create`, { experiment_id: experimentId, run_name: `train-${i}`, start_time: 1_700_000_000_000 + i });
    const runId = run.info.run_id;
    runIds[i] = runId;
    const dataset = (d: number, context: string) => ({
      tags: [{ key: 'mlflow.data.context', value: context }],
      dataset: { name: `ds-${d}`, digest: `d${d}`, source_type: 'local', source: `{"uri": "file:///data/ds-${d}.npy"}` },
    });
    await post(`${ml}/runs/log-inputs`, { run_id: runId, datasets: [dataset(i % 20, 'training'), dataset((i + 7) % 20, 'eval')] });
    const { model } = await post<{ model: { info: { model_id: string } } }>(`${ml}/logged-models`, {
      experiment_id: experimentId,
      name: `model-${i % 50}`,
      source_run_id: runId,
      params: [{ key: 'lr', value: String([0.1, 0.01, 0.001][i % 3]) }, { key: 'depth', value: String(i % 8) }, { key: 'seed', value: String(i) }],
      tags: [{ key: 'stage', value: i % 4 === 0 ? 'candidate' : 'draft' }, { key: 'owner', value: `user-${i % 10}` }],
    });
    const modelId = model.info.model_id;
    const metrics = Array.from({ length: 5 }, (_, step) => [
      { key: 'loss', value: 1 / (step + 1 + (i % 13)), timestamp: 1_700_000_000_000 + step, step, model_id: modelId },
      { key: 'auc', value: ((i * 7919) % 1000) / 1000, timestamp: 1_700_000_000_000 + step, step, model_id: modelId, dataset_name: `ds-${(i + 7) % 20}`, dataset_digest: `d${(i + 7) % 20}` },
    ]).flat();
    await post(`${ml}/runs/log-batch`, { run_id: runId, metrics });
    await post(`${ml}/runs/outputs`, { run_id: runId, models: [{ model_id: modelId, step: 4 }] });
    await fetch(`${ml}/logged-models/${modelId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'LOGGED_MODEL_READY' }) });
  });
  return { experimentId, runIds };
}

export async function benchLoggedModels(): Promise<Figure[]> {
  const server = await startServer(freshDataDir('logged-models'));
  try {
    const t0 = performance.now();
    const { experimentId, runIds } = await seed(server.url);
    console.log(`  seeded ${MODELS.toLocaleString()} runs, datasets and logged models in ${fmt((performance.now() - t0) / 1000)} s`);
    const ml = `${server.url}/api/2.0/mlflow`;
    const figure = (what: string, times: number[], budget = '—', limit?: number): Figure => {
      const p95 = percentile(times, 95);
      return { what, value: `p50 ${fmt(percentile(times, 50))} ms · p95 ${fmt(p95)} ms`, budget, met: limit === undefined ? null : p95 <= limit };
    };
    const search = (body: Record<string, unknown>) => post<{ models?: unknown[] }>(`${ml}/logged-models/search`, { experiment_ids: [experimentId], ...body });
    const filtered = {
      filter: "metrics.auc > 0.5 AND params.lr = '0.01' AND tags.stage = 'candidate'",
      order_by: [{ field_name: 'metrics.auc', ascending: false }],
      max_results: 100,
    };
    const found = await search(filtered);
    if (!found.models?.length) throw new Error('the filtered model search found nothing: the seed is wrong');
    return [
      figure(`logged-models/search, newest 100 of ${MODELS.toLocaleString()} models`, await sample(40, () => search({ max_results: 100 }))),
      figure(
        `logged-models/search, metric + param + tag filter, order by a metric, ${MODELS.toLocaleString()} models`,
        await sample(40, () => search(filtered)),
        'p95 ≤ 25 ms (as runs/search)',
        25,
      ),
      figure(
        `studio run page of 100 with Datasets and Models columns, ${MODELS.toLocaleString()} runs`,
        await sample(40, () => post(`${server.url}/api/studio/runs/search`, { experimentIds: [experimentId], pageSize: 100 })),
      ),
      figure(
        `runs/search, datasets.name = … AND datasets.context = 'eval', 100 results, ${MODELS.toLocaleString()} runs`,
        await sample(40, () => post(`${ml}/runs/search`, { experiment_ids: [experimentId], filter: "datasets.name = 'ds-3' AND datasets.context = 'eval'", max_results: 100 })),
      ),
      figure('runs/get of a run with 2 datasets and a model output', await sample(40, (i) => fetch(`${ml}/runs/get?run_id=${runIds[i % runIds.length]}`).then((r) => r.json()))),
    ];
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchLoggedModels()) console.log(`| ${f.what} | ${f.value} | ${f.budget} | ${f.met === null ? '' : f.met ? 'yes' : '**no**'} |`);
}
