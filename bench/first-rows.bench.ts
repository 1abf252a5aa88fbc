import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from '@playwright/test';
import { toSearchRequest } from '../src/shared/studio/explorer-state.js';
import type { StudioRun, StudioSearchRunsResponse } from '../src/shared/studio/runs.js';
import { chromiumArgs } from './browser.bench.js';
import { fmt, post, startServer, type Figure } from './support.js';

const LOADS = 7;
const STATIC_ROWS = 100;

/**
 * Runs before any script of the page: the time of the first frame that shows a row of a runs
 * table with its run's name (a `tbody tr[data-run-id]` holding a non-empty link, laid out in
 * the viewport), in ms since navigation start. On /runs that row is the server-painted one
 * (table "Runs (loading)"), as a user sees it before the scripts run; the frame the app's own
 * table ("Runs") first shows a row is kept apart as `appRowAt`. The same probe, markup and
 * test for the app and the static table, installed by Playwright (outside the page's CSP). A
 * string, not a function: tsx would add helpers to a function's source that do not exist in
 * the page.
 */
const probe = `
  const shown = (selector) => {
    const link = document.querySelector(selector + ' tbody tr[data-run-id] a');
    if (!link || !link.textContent.trim()) return false;
    const box = link.getBoundingClientRect();
    return box.height > 0 && box.top < innerHeight;
  };
  const watch = (selector, key) => {
    const frame = () => {
      if (!shown(selector)) return requestAnimationFrame(frame);
      setTimeout(() => (window[key] = performance.now()), 0);
    };
    new MutationObserver((_records, observer) => {
      if (!document.querySelector(selector + ' tbody tr[data-run-id]')) return;
      observer.disconnect();
      requestAnimationFrame(frame);
    }).observe(document, { childList: true, subtree: true });
  };
  watch('', 'firstRowAt');
  watch('table[aria-label="Runs"]', 'appRowAt');
`;

type Probed = Window & { firstRowAt?: number; appRowAt?: number };

/** One cold load (a fresh context: empty cache) of `url`: ms from navigation start to the first row painted, and to the app's own first row when `app`. */
async function firstRowMs(browser: Browser, url: string, app = false): Promise<{ first: number; app: number | null }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(probe);
    await page.goto(url, { waitUntil: 'commit' });
    const key = app ? 'appRowAt' : 'firstRowAt';
    await page.waitForFunction((k) => (window as Probed)[k as 'firstRowAt'] !== undefined && (window as Probed).firstRowAt !== undefined, key, { polling: 20 });
    return await page.evaluate(() => ({ first: (window as Probed).firstRowAt!, app: (window as Probed).appRowAt ?? null }));
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The first rows as a plain table, the explorer's default columns, no script and no style sheet. */
function staticTable(runs: StudioRun[]): string {
  const cell = (s: string) => `<td>${escapeHtml(s)}</td>`;
  const rows = runs.map(
    (r) =>
      `<tr data-run-id="${r.runId}" style="height:34px"><td><a href="/runs/${r.runId}">${escapeHtml(r.runName)}</a></td>${cell(r.status)}${cell(r.experimentName)}${cell(r.userId)}${cell(r.tags['runstudio.compute'] ?? '')}${cell(new Date(r.startTime).toLocaleString('en-US'))}${cell(r.endTime ? `${Math.round((r.endTime - r.startTime) / 1000)} s` : '')}${cell(Object.entries(r.tags).filter(([k]) => !k.startsWith('mlflow.')).slice(0, 3).map(([k, v]) => `${k}=${v}`).join(' '))}</tr>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>Runs</title></head><body><table aria-label="Runs"><thead><tr><th>Name</th><th>Status</th><th>Experiment</th><th>User</th><th>Compute</th><th>Created</th><th>Duration</th><th>Tags</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`;
}

/** Serves `html` on 127.0.0.1 until closed, uncached as the app's index.html is. */
async function serveStatic(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Budget "All runs page, cold load to first rows ≤ 2× a static table of the same rows": in
 * one browser, a cold /runs of the app and a static HTML table of its first 100 rows, each
 * from navigation start to the first frame showing a row with its run's name.
 */
export async function benchFirstRows(url: string, runs: number): Promise<Figure[]> {
  const first = await post<StudioSearchRunsResponse>(`${url}/api/studio/runs/search`, toSearchRequest({}));
  const table = await serveStatic(staticTable(first.runs.slice(0, STATIC_ROWS)));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    // One load of each in turn, so a slow patch of the machine weighs on both.
    const app: number[] = [];
    const mounted: number[] = [];
    const still: number[] = [];
    for (let i = 0; i < LOADS; i += 1) {
      still.push((await firstRowMs(browser, table.url)).first);
      const load = await firstRowMs(browser, `${url}/runs`, true);
      app.push(load.first);
      mounted.push(load.app!);
    }
    const appMs = median(app);
    const mountedMs = median(mounted);
    const staticMs = median(still);
    const ratio = appMs / staticMs;
    const n = runs.toLocaleString();
    return [
      { what: `All runs page, ${n} runs: navigation start → first rows painted, cold, median of ${LOADS} (ms)`, value: fmt(appMs, 0), budget: '—', met: null },
      { what: `All runs page, ${n} runs: navigation start → the app's own table shows its first row (scripts run), median of ${LOADS} (ms)`, value: fmt(mountedMs, 0), budget: '—', met: null },
      { what: `static HTML table of the same first ${STATIC_ROWS} rows, same browser, same measure (ms)`, value: fmt(staticMs, 0), budget: '—', met: null },
      { what: `All runs page, ${n} runs: first rows / static table`, value: `${fmt(ratio, 2)}×`, budget: '≤ 2×', met: ratio <= 2 },
    ];
  } finally {
    await browser.close();
    await table.close();
  }
}

// `npx tsx bench/first-rows.bench.ts`: these figures alone (BENCH_SEARCH_RUNS, default 100,000;
// BENCH_DATA_DIR serves a store seeded before instead of seeding one).
if (import.meta.url === `file://${process.argv[1]}`) {
  const { seedLargeStore } = await import('./search.bench.js');
  const runs = Number(process.env.BENCH_SEARCH_RUNS ?? 100_000);
  const server = await startServer(process.env.BENCH_DATA_DIR ?? (await seedLargeStore(runs, `first-rows-${runs}`)));
  try {
    for (const f of await benchFirstRows(server.url, runs)) console.log(`| ${f.what} | ${f.value} | ${f.budget} | ${f.met === null ? '' : f.met ? 'yes' : '**no**'} |`);
  } finally {
    await server.stop();
  }
}
