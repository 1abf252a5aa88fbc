import path from 'node:path';
import Database from 'better-sqlite3';
import { chromium } from '@playwright/test';
import { openDb } from '../src/server/store/db.js';
import { backfillRollupsSql } from '../src/server/store/migrations/rollups.sql.js';
import { fmt, freshDataDir, percentile, startServer, type Figure } from './support.js';

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** 20 runs with 100,000 points of `loss` each, written straight into SQLite. */
async function seed(dir: string, runs: number, points: number): Promise<void> {
  const file = path.join(dir, 'runstudio.db');
  await (await openDb({ kind: 'sqlite', file })).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.prepare("INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (1, 'charts', 'mlflow-artifacts:/1', 'active', 0, 0)").run();
  const run = db.prepare("INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri) VALUES (?, 1, ?, 'bench', 'FINISHED', ?, ?, 'active', '')");
  const point = db.prepare('INSERT INTO metrics (run_id, key, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?, 0)');
  const latest = db.prepare('INSERT INTO latest_metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?, 0)');
  db.transaction(() => {
    for (let r = 0; r < runs; r += 1) {
      const id = `${r.toString(16).padStart(8, '0')}${'c'.repeat(24)}`;
      const { lastInsertRowid } = run.run(id, `chart-run-${r}`, 1_000 + r, 2_000 + r);
      let value = 0;
      for (let s = 0; s < points; s += 1) {
        value = 1 / (s + 1) + (r + 1) * 0.01 + (s % 997 === 0 ? 0.5 : 0);
        point.run(lastInsertRowid, 'loss', s, 1_700_000_000_000 + s * 10, value);
      }
      latest.run(id, 'loss', points - 1, 1_700_000_000_000 + points * 10, value);
    }
  })();
  db.exec(backfillRollupsSql);
  db.close();
}

/** Budget "chart panel, 20 runs × 100k points each": page request to the drawn chart. */
export async function benchCharts(runs = 20, points = 100_000): Promise<Figure[]> {
  const dir = freshDataDir('charts');
  await seed(dir, runs, points);
  const server = await startServer(dir);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    const charts = encodeURIComponent(JSON.stringify([{ id: 'bench', kind: 'line', metric: 'loss', runs, size: 'l' }]));
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/runs`);
    await page.waitForSelector('tbody tr[data-run-id]');
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await page.goto(`${server.url}/runs`);
      await page.waitForSelector('tbody tr[data-run-id]');
      // From asking for the chart (the URL that adds it) to 20 drawn curves.
      const t0 = performance.now();
      await page.goto(`${server.url}/runs?charts=${charts}`);
      await page.waitForFunction((n) => document.querySelectorAll('path.recharts-line-curve').length === n, runs, { timeout: 30_000 });
      times.push(performance.now() - t0);
    }
    const median = percentile(times, 50);
    return [{ what: `chart panel, ${runs} runs × ${points.toLocaleString()} points each: page request to drawn chart in Chromium, median of 5 (ms)`, value: fmt(median, 0), budget: '≤ 1,000', met: median <= 1000 }];
  } finally {
    await browser.close();
    await server.stop();
  }
}
