import { toSearchRequest } from '../src/shared/studio/explorer-state.js';
import { benchBrowser } from './browser.bench.js';
import { rawInserter, openRawSqlite } from './sqlite-limit.bench.js';
import { fmt, freshDataDir, percentile, post, sample, startServer, type Figure } from './support.js';

/** Seeds `runs` runs (3 metrics × 10 steps each) straight into SQLite, in bench/.data/`name`. */
export async function seedLargeStore(runs: number, name = `search-${runs}`) {
  const dir = freshDataDir(name);
  const raw = await openRawSqlite(dir);
  raw.prepare("INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (1, 'bench', 'mlflow-artifacts:/1', 'active', 0, 0)").run();
  const insert = rawInserter(raw);
  for (let i = 0; i < runs; i += 1) insert(i, 1, 10);
  raw.pragma('optimize');
  raw.close();
  return dir;
}

/** Budgets for runs/search at 100k runs: param filter + metric sort, and full-text q. */
export async function benchSearch(url: string, runs: number): Promise<Figure[]> {
  const api = `${url}/api/2.0/mlflow`;
  const filtered = await sample(100, (i) =>
    post(`${api}/runs/search`, {
      experiment_ids: ['1'],
      filter: `metrics.loss < ${0.5 + (i % 5)} and params.optimizer = '${['adam', 'sgd', 'adamw'][i % 3]}'`,
      order_by: ['metrics.accuracy DESC'],
      max_results: 100,
    }),
  );
  const paramSort = await sample(100, (i) =>
    post(`${api}/runs/search`, { experiment_ids: ['1'], filter: `params.lr = '${['0.1', '0.01', '0.001'][i % 3]}'`, order_by: ['metrics.loss ASC'], max_results: 100 }),
  );
  const text = await sample(100, (i) =>
    post(`${url}/api/studio/runs/search`, { q: ['ablation resnet', 'finetune', 'great', 'vision baseline'][i % 4], pageSize: 100 }),
  );
  const n = runs.toLocaleString();
  return [
    { what: `runs/search, metric filter + param filter, order by metric, 100 results, ${n} runs: p50 / p95 ms`, value: `${fmt(percentile(filtered, 50))} / ${fmt(percentile(filtered, 95))}`, budget: 'p95 ≤ 50', met: percentile(filtered, 95) <= 50 },
    { what: `runs/search, param filter, order by metric, 100 results, ${n} runs: p50 / p95 ms`, value: `${fmt(percentile(paramSort, 50))} / ${fmt(percentile(paramSort, 95))}`, budget: 'p95 ≤ 50', met: percentile(paramSort, 95) <= 50 },
    { what: `studio search, full-text q, 100 results + total, ${n} runs: p50 / p95 ms`, value: `${fmt(percentile(text, 50))} / ${fmt(percentile(text, 95))}`, budget: '—', met: null },
  ];
}

/**
 * The All runs page's own request (top-level runs, newest first, as the explorer sends it
 * with no state in the URL): its first page, and the page after it by the first page's token.
 */
export async function benchAllRuns(url: string, runs: number): Promise<Figure[]> {
  const search = `${url}/api/studio/runs/search`;
  const request = toSearchRequest({});
  const first = await post<{ nextPageToken: string | null }>(search, request);
  if (!first.nextPageToken) throw new Error('the All runs page has no second page');
  const firstPage = await sample(50, () => post(search, request));
  const nextPage = await sample(50, () => post(search, { ...request, pageToken: first.nextPageToken }));
  const n = runs.toLocaleString();
  const size = request.pageSize ?? 100;
  return [
    { what: `All runs page, default request (top-level, newest first, ${size} runs + total), first page, ${n} runs: p50 / p95 ms`, value: `${fmt(percentile(firstPage, 50))} / ${fmt(percentile(firstPage, 95))}`, budget: 'p95 ≤ 20', met: percentile(firstPage, 95) <= 20 },
    { what: `All runs page, default request, next page (by token), ${n} runs: p50 / p95 ms`, value: `${fmt(percentile(nextPage, 50))} / ${fmt(percentile(nextPage, 95))}`, budget: 'p95 ≤ 20', met: percentile(nextPage, 95) <= 20 },
  ];
}

/** Budgets measured on the ingest store (10k runs): paging, history, tag LIKE. */
export async function benchOnIngested(url: string, experimentId: string, runIds: string[]): Promise<Figure[]> {
  const api = `${url}/api/2.0/mlflow`;
  const pageAll = await sample(5, async () => {
    let token: string | undefined;
    let seen = 0;
    do {
      const page = await post<{ runs?: unknown[]; next_page_token?: string }>(`${api}/runs/search`, { experiment_ids: [experimentId], max_results: 1000, ...(token ? { page_token: token } : {}) });
      seen += page.runs?.length ?? 0;
      token = page.next_page_token;
    } while (token);
    if (seen !== runIds.length) throw new Error(`paged ${seen} runs, expected ${runIds.length}`);
  }, 1);
  const history = await sample(200, (i) => fetch(`${api}/metrics/get-history?run_id=${runIds[(i * 37) % runIds.length]}&metric_key=loss`).then((r) => r.json()));
  const like = await sample(100, (i) =>
    post(`${api}/runs/search`, { experiment_ids: [experimentId], filter: `tags.quality LIKE '%${['great', 'ordin', 'eat re'][i % 3]}%'`, max_results: 100 }),
  );
  const n = runIds.length.toLocaleString();
  return [
    { what: `page through every run, 1000 per page, ${n} runs: median s`, value: fmt(percentile(pageAll, 50) / 1000, 2), budget: '≤ 0.7', met: percentile(pageAll, 50) <= 700 },
    { what: 'metrics/get-history, one run, 100 points: p50 / p95 ms', value: `${fmt(percentile(history, 50))} / ${fmt(percentile(history, 95))}`, budget: 'p50 ≤ 5', met: percentile(history, 50) <= 5 },
    { what: `runs/search with tags.x LIKE '%…%', ${n} runs: p50 / p95 ms`, value: `${fmt(percentile(like, 50))} / ${fmt(percentile(like, 95))}`, budget: 'p95 ≤ 20', met: percentile(like, 95) <= 20 },
  ];
}

export async function benchSearchAt(runs: number): Promise<Figure[]> {
  const t0 = performance.now();
  const dir = await seedLargeStore(runs);
  console.log(`  seeded ${runs.toLocaleString()} runs in ${fmt((performance.now() - t0) / 1000)} s`);
  const server = await startServer(dir);
  try {
    const figures = [...(await benchSearch(server.url, runs)), ...(await benchAllRuns(server.url, runs))];
    console.log(`- the All runs page in Chromium at ${runs.toLocaleString()} runs`);
    // Imported here: first-rows.bench.ts seeds through this module when run alone.
    const { benchFirstRows } = await import('./first-rows.bench.js');
    return [...figures, ...(await benchBrowser(server.url, runs)), ...(await benchFirstRows(server.url, runs))];
  } finally {
    await server.stop();
  }
}

// `npx tsx bench/search.bench.ts`: the All runs figures alone (BENCH_SEARCH_RUNS, default 100,000).
if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.env.BENCH_SEARCH_RUNS ?? 100_000);
  const server = await startServer(await seedLargeStore(runs));
  try {
    for (const f of await benchAllRuns(server.url, runs)) console.log(`| ${f.what} | ${f.value} | ${f.budget} | ${f.met === null ? '' : f.met ? 'yes' : '**no**'} |`);
  } finally {
    await server.stop();
  }
}
