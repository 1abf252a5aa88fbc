import path from 'node:path';
import Database from 'better-sqlite3';
import { buildApp } from '../src/server/app.js';
import { openDb } from '../src/server/store/db.js';
import { fmt, freshDataDir, percentile } from './support.js';

/**
 * `npx tsx bench/children.bench.ts`: GET /runs/:id/children on SQLite under a sweep of
 * 100,000 direct children and under a tree of 1,000 trials × 99 folds; first page, a page
 * deep in the list, and every page in turn, flat and recursive. Prints ms, asserts nothing.
 */
const SWEEP = Number(process.env.BENCH_CHILDREN ?? 100_000);
const runId = (i: number) => i.toString(16).padStart(32, '0');

function seed(file: string) {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.prepare("INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (1, 'bench', 'mlflow-artifacts:/1', 'active', 0, 0)").run();
  const insertRun = raw.prepare(
    `INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, lifecycle_stage, artifact_uri, parent_run_id)
     VALUES (?, 1, ?, 'bench', 'SCHEDULED', ?, 'active', 'mlflow-artifacts:/1', ?)`,
  );
  const insertTag = raw.prepare('INSERT INTO tags (run_uuid, key, value) VALUES (?, ?, ?)');
  let next = 1;
  const run = (name: string, start: number, parent: string | null) => {
    const id = runId(next++);
    insertRun.run(id, name, start, parent);
    insertTag.run(id, 'mlflow.runName', name);
    if (parent) insertTag.run(id, 'mlflow.parentRunId', parent);
    return id;
  };
  const sweep = raw.transaction(() => {
    const parent = run('sweep', 0, null);
    // As POST /children makes them: 1,000 per request, one start time per request.
    for (let i = 0; i < SWEEP; i += 1) run(`sweep-${i + 1}`, 1_000 + Math.floor(i / 1000), parent);
    return parent;
  })();
  const tree = raw.transaction(() => {
    const parent = run('trials', 0, null);
    for (let t = 0; t < 1000; t += 1) {
      const trial = run(`trial-${t}`, 5_000 + t, parent);
      for (let f = 0; f < 99; f += 1) run(`trial-${t}-fold-${f}`, 9_000 + f, trial);
    }
    return parent;
  })();
  raw.close();
  return { sweep, tree };
}

const dir = freshDataDir('children');
const file = path.join(dir, 'runstudio.db');
await (await openDb({ kind: 'sqlite', file })).close();
let t0 = performance.now();
const ids = seed(file);
console.log(`seeded ${SWEEP.toLocaleString()} children + 1,000 × 99 tree in ${fmt((performance.now() - t0) / 1000)} s`);

const db = await openDb({ kind: 'sqlite', file });
const app = await buildApp({ db, blobDir: path.join(dir, 'blobs'), webRoot: null });
async function page(parent: string, query: string): Promise<{ ms: number; count: number; token: string | null }> {
  const started = performance.now();
  const res = await app.inject({ method: 'GET', url: `/api/studio/runs/${parent}/children?${query}` });
  const ms = performance.now() - started;
  if (res.statusCode !== 200) throw new Error(`${query}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  const body = res.json<{ runs: unknown[]; nextPageToken: string | null }>();
  return { ms, count: body.runs.length, token: body.nextPageToken };
}

// One request first, so the JIT's warm-up is not billed to the first figure.
await page(ids.sweep, 'pageSize=1');
for (const [shape, parent] of [['100k sweep', ids.sweep], ['1,000 × 99 tree', ids.tree]] as const) {
  for (const recursive of [false, true]) {
    for (const size of [100, 1000]) {
      const base = `recursive=${recursive}&pageSize=${size}`;
      const first = await page(parent, base);
      const times: number[] = [];
      let token = first.token;
      let seen = first.count;
      t0 = performance.now();
      while (token) {
        const next = await page(parent, `${base}&pageToken=${token}`);
        times.push(next.ms);
        seen += next.count;
        token = next.token;
      }
      const all = (performance.now() - t0 + first.ms) / 1000;
      const deep = times[Math.floor(times.length * 0.9)];
      const spread = times.length > 0 ? `, next pages p50 / p95 / max ${fmt(percentile(times, 50))} / ${fmt(percentile(times, 95))} / ${fmt(Math.max(...times))} ms` : '';
      console.log(
        `${shape}, recursive=${recursive}, pageSize ${size}: first ${fmt(first.ms)} ms, page at 90 % ${deep === undefined ? '—' : `${fmt(deep)} ms`}` +
          `${spread}; ${seen.toLocaleString()} rows in ${times.length + 1} pages, ${fmt(all, 2)} s`,
      );
    }
  }
}
await app.close();
await db.close();
