import { chromium } from '@playwright/test';
import { fmt, freshDataDir, percentile, post, startServer, type Figure } from './support.js';

const ML = '/api/2.0/mlflow';
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * Runs inside the page: sends `body` to `path` from the page itself (one clock: the page's
 * performance.now()) and resolves with the ms from just before the request to the DOM
 * mutation after which `done()` holds, seen by a MutationObserver on `root`.
 */
function changeAndWatch({ selector, path, body, expect }: { selector: string; path: string; body: unknown; expect: string }): Promise<number> {
  const root = document.querySelector(selector);
  if (!root) throw new Error(`no ${selector}`);
  const before = root.querySelector('path.recharts-line-curve')?.getAttribute('d') ?? null;
  const done = () => (root.textContent ?? '').includes(expect) && (before === null || root.querySelector('path.recharts-line-curve')?.getAttribute('d') !== before);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const observer = new MutationObserver(() => {
      if (!done()) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve(performance.now() - t0);
    });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`not on screen after 10 s: ${expect}`));
    }, 10_000);
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(reject);
  });
}

/**
 * Budgets "status change → on screen in an open All runs page" (p95 ≤ 300 ms) and "a new
 * metric point → drawn in an open chart" (≤ 1 s), both by push (the run-event stream). Each
 * change is sent from inside the page, and the time runs to the mutation that shows it.
 */
export async function benchLive(samples = 30): Promise<Figure[]> {
  const server = await startServer(freshDataDir('live'));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    const { experiment_id: experimentId } = await post<{ experiment_id: string }>(`${server.url}${ML}/experiments/create`, { name: 'live' });
    const runIds: string[] = [];
    for (let i = 0; i < samples + 5; i += 1) {
      const { run } = await post<{ run: { info: { run_id: string } } }>(`${server.url}${ML}/runs/create`, { experiment_id: experimentId, run_name: `live-${i}`, start_time: Date.now() });
      runIds.push(run.info.run_id);
    }
    // Tall enough that every run's row is in the DOM (the table draws only the rows on screen).
    const page = await browser.newPage({ viewport: { width: 1400, height: 2400 } });
    // tsx names functions with esbuild's __name helper, which page.evaluate does not bring along.
    await page.addInitScript('window.__name = (f) => f');
    // (Waited for at most 5 s: a build without the stream, measured for the figure before, polls.)
    const stream = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/studio/events', { timeout: 5_000 }).catch(() => null);
    await page.goto(`${server.url}/runs`);
    await page.waitForSelector('tbody tr[data-run-id]');
    await stream;
    await page.waitForTimeout(500);
    const status: number[] = [];
    for (const [i, runId] of runIds.entries()) {
      const selector = `tr[data-run-id="${runId}"]`;
      await page.waitForSelector(selector);
      const ms = await page.evaluate(changeAndWatch, { selector, path: `${ML}/runs/update`, body: { run_id: runId, status: 'FINISHED', end_time: Date.now() }, expect: 'Completed' });
      if (i >= 5) status.push(ms);
    }

    // A run still running, as a run whose chart someone watches is.
    const { run: chartedRun } = await post<{ run: { info: { run_id: string } } }>(`${server.url}${ML}/runs/create`, { experiment_id: experimentId, run_name: 'charted', start_time: Date.now() });
    const charted = chartedRun.info.run_id;
    const t0 = Date.now();
    await post(`${server.url}${ML}/runs/log-batch`, { run_id: charted, metrics: Array.from({ length: 100 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), step, timestamp: t0 + step })) });
    const runPage = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/studio/events', { timeout: 5_000 }).catch(() => null);
    await page.goto(`${server.url}/runs/${charted}?tab=metrics`);
    const selector = 'figure[aria-label="Chart of loss over step"]';
    await page.waitForSelector(`${selector} path.recharts-line-curve`);
    await runPage;
    await page.waitForTimeout(500);
    const drawn: number[] = [];
    for (let i = 0; i < samples + 5; i += 1) {
      const step = 100 + i;
      const ms = await page.evaluate(changeAndWatch, { selector, path: `${ML}/runs/log-metric`, body: { run_id: charted, key: 'loss', value: 2 + (i % 3), step, timestamp: Date.now() }, expect: `${(step + 1).toLocaleString()} points` });
      if (i >= 5) drawn.push(ms);
    }
    await page.close();
    return [
      { what: `status change → on screen in an open All runs page, by push: p50 of ${samples} (ms)`, value: fmt(percentile(status, 50), 0), budget: '—', met: null },
      { what: `status change → on screen in an open All runs page, by push: p95 of ${samples} (ms)`, value: fmt(percentile(status, 95), 0), budget: 'p95 ≤ 300', met: percentile(status, 95) <= 300 },
      { what: `a metric point logged → drawn in an open run page chart, by push: p50 of ${samples} (ms)`, value: fmt(percentile(drawn, 50), 0), budget: '—', met: null },
      { what: `a metric point logged → drawn in an open run page chart, by push: p95 of ${samples} (ms)`, value: fmt(percentile(drawn, 95), 0), budget: 'p95 ≤ 1,000', met: percentile(drawn, 95) <= 1000 },
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchLive()) console.log(`| ${f.what} | ${f.value} | ${f.budget} | ${f.met === null ? '' : f.met ? 'yes' : '**no**'} |`);
}
