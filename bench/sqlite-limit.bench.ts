import path from 'node:path';
import Database from 'better-sqlite3';
import { openDb } from '../src/server/store/db.js';
import { searchWords } from '../src/server/store/fulltext.store.js';
import { ROLLUP_WIDTH } from '../src/server/store/migrations/rollups.sql.js';
import { fmt, freshDataDir } from './support.js';
import { runBatch } from './workload.js';

/** Opens a migrated SQLite file with better-sqlite3 directly, with the server's pragmas. */
export async function openRawSqlite(dir: string): Promise<Database.Database> {
  const file = path.join(dir, 'runstudio.db');
  const db = await openDb({ kind: 'sqlite', file });
  await db.close();
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('cache_size = -65536');
  return raw;
}

/**
 * Inserts runs exactly as the server stores them (run row, params, tags, history, latest
 * values, full-text row), with prepared statements and one transaction per run.
 */
export function rawInserter(raw: Database.Database) {
  const insertRun = raw.prepare(
    `INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri, parent_run_id)
     VALUES (?, ?, ?, 'bench', 'FINISHED', ?, ?, 'active', ?, NULL)`,
  );
  const insertParam = raw.prepare('INSERT INTO params (run_uuid, key, value) VALUES (?, ?, ?)');
  const insertTag = raw.prepare('INSERT INTO tags (run_uuid, key, value) VALUES (?, ?, ?)');
  const insertMetric = raw.prepare('INSERT INTO metrics (run_id, key, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?, 0)');
  const insertLatest = raw.prepare('INSERT INTO latest_metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?, 0)');
  const insertText = raw.prepare('INSERT INTO runs_fts (rowid, body) VALUES (?, ?)');
  const insertRollup = raw.prepare('INSERT INTO metric_rollups (run_id, key, bucket, n, min_value, min_step, min_ts, max_value, max_step, max_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  return raw.transaction((i: number, experimentId: number, steps: number) => {
    const runId = `${i.toString(16).padStart(8, '0')}${'0'.repeat(24)}`;
    const batch = runBatch(i, steps);
    const { lastInsertRowid } = insertRun.run(runId, experimentId, `run-${i}`, 1_700_000_000_000 + i, 1_700_000_100_000 + i, `mlflow-artifacts:/${experimentId}/${runId}/artifacts`);
    for (const p of batch.params) insertParam.run(runId, p.key, p.value);
    for (const t of batch.tags) insertTag.run(runId, t.key, t.value);
    const latest = new Map<string, { step: number; timestamp: number; value: number }>();
    for (const m of batch.metrics) {
      insertMetric.run(lastInsertRowid, m.key, m.step, m.timestamp, m.value);
      latest.set(m.key, m);
    }
    for (const [key, m] of latest) insertLatest.run(runId, key, m.step, m.timestamp, m.value);
    const rollups = new Map<string, { key: string; bucket: number; n: number; lo: (typeof batch.metrics)[0]; hi: (typeof batch.metrics)[0] }>();
    for (const m of batch.metrics) {
      const bucket = Math.trunc(m.step / ROLLUP_WIDTH);
      const r = rollups.get(`${m.key}/${bucket}`);
      if (!r) rollups.set(`${m.key}/${bucket}`, { key: m.key, bucket, n: 1, lo: m, hi: m });
      else {
        r.n += 1;
        if (m.value < r.lo.value) r.lo = m;
        if (m.value > r.hi.value) r.hi = m;
      }
    }
    for (const r of rollups.values()) insertRollup.run(lastInsertRowid, r.key, r.bucket, r.n, r.lo.value, r.lo.step, r.lo.timestamp, r.hi.value, r.hi.step, r.hi.timestamp);
    const text = [`run-${i}`, 'bench', 'FINISHED Completed', ...batch.tags.map((t) => (t.key.startsWith('mlflow.') || t.key.startsWith('runstudio.') ? t.value : `${t.key} ${t.value}`))].join(' ');
    insertText.run(lastInsertRowid, searchWords(text).join(' '));
  });
}

/** The limit: the same rows as the ingest bench, straight into better-sqlite3. */
export async function benchSqliteLimit(runs: number) {
  const raw = await openRawSqlite(freshDataDir('sqlite-limit'));
  const insert = rawInserter(raw);
  const t0 = performance.now();
  for (let i = 0; i < runs; i += 1) insert(i, 0, 100);
  const seconds = (performance.now() - t0) / 1000;
  raw.close();
  const pointsPerSecond = (runs * 300) / seconds;
  return { pointsPerSecond, figure: { what: 'limit: bare better-sqlite3, same rows, one transaction per run, points/s', value: fmt(pointsPerSecond, 0), budget: '—', met: null } };
}
