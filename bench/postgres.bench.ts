import pg from 'pg';
import { openDb } from '../src/server/store/db.js';
import { searchWords } from '../src/server/store/fulltext.store.js';
import { backfillRollupsSql } from '../src/server/store/migrations/rollups.sql.js';
import { benchIngest } from './ingest.bench.js';
import { benchAllRuns, benchSearch } from './search.bench.js';
import { fmt, freshDataDir, startServer, type Figure } from './support.js';
import { runBatch } from './workload.js';

/**
 * The ingest and search figures on PostgreSQL, beside SQLite's: the same workloads and budgets,
 * against `runstudio serve --database-url`. BENCH_DATABASE_URL is the admin connection
 * (default postgres://postgres@127.0.0.1:5432/postgres); each part gets a fresh database
 * `runstudio_bench`, dropped at the end. Skipped, with a line, when PostgreSQL is not reachable.
 */
const DATABASE = 'runstudio_bench';
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops and recreates `runstudio_bench`; returns its URL. */
async function freshDatabase(): Promise<string> {
  await withAdmin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${DATABASE}`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function dropDatabase(): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
}

const onPostgres = (figures: Figure[]): Figure[] => figures.map((f) => ({ ...f, what: `${f.what} (PostgreSQL)` }));

/**
 * Seeds `runs` runs into a migrated PostgreSQL database, the rows seedLargeStore writes to
 * SQLite (run row with its search text, params, tags, history, latest values, rollups), in
 * multi-row INSERTs of 2,000 runs from arrays; then VACUUM ANALYZE, as autovacuum would.
 */
export async function seedLargePostgres(url: string, runs: number): Promise<void> {
  const db = await openDb({ kind: 'postgres', url });
  await db.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (1, 'bench', 'mlflow-artifacts:/1', 'active', 0, 0)");
    const chunk = 2000;
    for (let from = 0; from < runs; from += chunk) {
      const r = { id: [] as number[], uuid: [] as string[], name: [] as string[], start: [] as number[], end: [] as number[], artifacts: [] as string[], body: [] as string[] };
      const kv = { params: { run: [] as string[], key: [] as string[], value: [] as string[] }, tags: { run: [] as string[], key: [] as string[], value: [] as string[] } };
      const m = { run: [] as number[], key: [] as string[], step: [] as number[], ts: [] as number[], value: [] as number[] };
      const latest = { run: [] as string[], key: [] as string[], step: [] as number[], ts: [] as number[], value: [] as number[] };
      for (let i = from; i < Math.min(runs, from + chunk); i += 1) {
        const runId = `${i.toString(16).padStart(8, '0')}${'0'.repeat(24)}`;
        const batch = runBatch(i, 10);
        r.id.push(i + 1);
        r.uuid.push(runId);
        r.name.push(`run-${i}`);
        r.start.push(1_700_000_000_000 + i);
        r.end.push(1_700_000_100_000 + i);
        r.artifacts.push(`mlflow-artifacts:/1/${runId}/artifacts`);
        // What the server indexes: run name, submitter, experiment name, indexed tags.
        const text = [`run-${i}`, 'bench', 'bench', ...batch.tags.map((t) => (t.key.startsWith('mlflow.') || t.key.startsWith('runstudio.') ? t.value : `${t.key} ${t.value}`))].join(' ');
        r.body.push(searchWords(text).join(' '));
        for (const [into, rows] of [[kv.params, batch.params], [kv.tags, batch.tags]] as const) {
          for (const row of rows) {
            into.run.push(runId);
            into.key.push(row.key);
            into.value.push(row.value);
          }
        }
        const last = new Map<string, (typeof batch.metrics)[0]>();
        for (const point of batch.metrics) {
          m.run.push(i + 1);
          m.key.push(point.key);
          m.step.push(point.step);
          m.ts.push(point.timestamp);
          m.value.push(point.value);
          last.set(point.key, point);
        }
        for (const [key, point] of last) {
          latest.run.push(runId);
          latest.key.push(key);
          latest.step.push(point.step);
          latest.ts.push(point.timestamp);
          latest.value.push(point.value);
        }
      }
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO runs (id, run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri, parent_run_id, search_tsv)
         SELECT id, u, 1, n, 'bench', 'FINISHED', s, e, 'active', a, NULL, to_tsvector('simple', b)
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[]) AS t(id, u, n, s, e, a, b)`,
        [r.id, r.uuid, r.name, r.start, r.end, r.artifacts, r.body],
      );
      for (const [table, rows] of [['params', kv.params], ['tags', kv.tags]] as const) {
        await client.query(`INSERT INTO ${table} (run_uuid, key, value) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`, [rows.run, rows.key, rows.value]);
      }
      await client.query('INSERT INTO metrics (run_id, key, step, timestamp, value, is_nan) SELECT *, 0 FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::float8[])', [m.run, m.key, m.step, m.ts, m.value]);
      await client.query('INSERT INTO latest_metrics (run_uuid, key, step, timestamp, value, is_nan) SELECT *, 0 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::float8[])', [latest.run, latest.key, latest.step, latest.ts, latest.value]);
      await client.query('COMMIT');
    }
    // Migration 0003's own backfill: one pass of window functions (3,000,000 points: ~10 s).
    await client.query(backfillRollupsSql);
    // Ids were written explicitly: move the identities past them, as if the server had.
    await client.query("SELECT setval(pg_get_serial_sequence('runs', 'id'), (SELECT max(id) FROM runs))");
    await client.query("SELECT setval(pg_get_serial_sequence('experiments', 'experiment_id'), (SELECT max(experiment_id) FROM experiments))");
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

/** Ingest (`ingestRuns` runs) and search (`searchRuns` runs) on PostgreSQL; [] when it is not reachable. */
export async function benchPostgres(ingestRuns: number, searchRuns: number): Promise<Figure[]> {
  try {
    await withAdmin((client) => client.query('SELECT 1'));
  } catch (error) {
    console.log(`- PostgreSQL: skipped, not reachable at ${adminUrl} (${(error as Error).message}); set BENCH_DATABASE_URL`);
    return [];
  }
  const figures: Figure[] = [];
  try {
    console.log(`- ingest: ${ingestRuns.toLocaleString()} runs through the HTTP API (PostgreSQL)`);
    let server = await startServer(freshDataDir('pg-ingest'), ['--database-url', await freshDatabase()]);
    try {
      figures.push(...onPostgres((await benchIngest(server.url, ingestRuns)).figures));
    } finally {
      await server.stop();
    }
    console.log(`- search at ${searchRuns.toLocaleString()} runs (PostgreSQL)`);
    const url = await freshDatabase();
    const t0 = performance.now();
    await seedLargePostgres(url, searchRuns);
    console.log(`  seeded ${searchRuns.toLocaleString()} runs in ${fmt((performance.now() - t0) / 1000)} s`);
    server = await startServer(freshDataDir('pg-search'), ['--database-url', url]);
    try {
      figures.push(...onPostgres([...(await benchSearch(server.url, searchRuns)), ...(await benchAllRuns(server.url, searchRuns))]));
    } finally {
      await server.stop();
    }
  } finally {
    await dropDatabase();
  }
  return figures;
}

// `npx tsx bench/postgres.bench.ts`: this part alone (BENCH_RUNS, default 10,000; BENCH_SEARCH_RUNS, default 100,000).
if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchPostgres(Number(process.env.BENCH_RUNS ?? 10_000), Number(process.env.BENCH_SEARCH_RUNS ?? 100_000));
  for (const f of figures) console.log(`| ${f.what} | ${f.value} | ${f.budget} | ${f.met === null ? '' : f.met ? 'yes' : '**no**'} |`);
}
