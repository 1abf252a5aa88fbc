import { seedLargeStore } from './search.bench.js';
import { fmt, percentile, post, startServer, type Figure } from './support.js';

const RUNS = 100_000;
const RENAMES = 3;

/** Another user's requests, back to back while `busy()` holds: an experiment read and a studio search of another experiment. */
async function otherRequests(url: string, busy: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; busy(); i += 1) {
    const t0 = performance.now();
    if (i % 2 === 0) {
      const res = await fetch(`${url}/api/2.0/mlflow/experiments/get?experiment_id=0`);
      await res.json();
    } else {
      await post(`${url}/api/studio/runs/search`, { experimentIds: ['0'], pageSize: 50 });
    }
    latencies.push(performance.now() - t0);
  }
  return latencies;
}

const rename = (url: string, name: string) => post(`${url}/api/2.0/mlflow/experiments/update`, { experiment_id: '1', new_name: name });

/** Renames experiment 1 and waits until `q` = the new name finds every run of it; returns the ms taken. */
async function renameUntilFound(url: string, name: string): Promise<number> {
  const t0 = performance.now();
  await rename(url, name);
  for (;;) {
    const { total } = await post<{ total: number | null }>(`${url}/api/studio/runs/search`, { q: name, experimentIds: ['1'], parentRunId: '*', pageSize: 1 });
    if (total === RUNS) return performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Experiment renames at 100,000 runs: how long another request waits while renames run back to
 * back (at least 3 s and 2 renames), and, apart, how long until the studio search finds the
 * runs by the new name.
 */
export async function benchRename(): Promise<Figure[]> {
  const t0 = performance.now();
  const dir = await seedLargeStore(RUNS, `rename-${RUNS}`);
  console.log(`  seeded ${RUNS.toLocaleString()} runs in ${fmt((performance.now() - t0) / 1000)} s`);
  const server = await startServer(dir);
  try {
    let renaming = true;
    const others = otherRequests(server.url, () => renaming);
    const renames: number[] = [];
    try {
      const start = performance.now();
      for (let i = 0; renames.length < 2 || performance.now() - start < 3000; i += 1) {
        const r0 = performance.now();
        await rename(server.url, `atlas-${i}x`);
        renames.push(performance.now() - r0);
      }
    } finally {
      renaming = false;
    }
    const latencies = await others;
    const found: number[] = [];
    for (let i = 0; i < RENAMES; i += 1) found.push(await renameUntilFound(server.url, `vega-${i}x`));
    const n = RUNS.toLocaleString();
    const p95 = percentile(latencies, 95);
    return [
      {
        what: `another request (experiment get / studio search of another experiment) while an experiment of ${n} runs is renamed back to back (${renames.length} renames, ${latencies.length} requests): p50 / p95 / max ms`,
        value: `${fmt(percentile(latencies, 50))} / ${fmt(p95)} / ${fmt(Math.max(...latencies))}`,
        budget: 'p95 ≤ 50',
        met: p95 <= 50,
      },
      {
        what: `rename of an experiment of ${n} runs, the request alone: median / max ms`,
        value: `${fmt(percentile(renames, 50))} / ${fmt(Math.max(...renames))}`,
        budget: '—',
        met: null,
      },
      {
        what: `rename of an experiment of ${n} runs until q = the new name finds all of them (${RENAMES} renames): median / max ms`,
        value: `${fmt(percentile(found, 50))} / ${fmt(Math.max(...found))}`,
        budget: '—',
        met: null,
      },
    ];
  } finally {
    await server.stop();
  }
}

// `npx tsx bench/rename.bench.ts`: these figures alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchRename()) console.log(`| ${f.what} | ${f.value} | ${f.budget} | ${f.met === null ? '' : f.met ? 'yes' : '**no**'} |`);
}
