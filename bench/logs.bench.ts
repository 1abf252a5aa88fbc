import { chromium } from '@playwright/test';
import { fmt, freshDataDir, percentile, post, startServer, type Figure } from './support.js';

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

async function append(url: string, runId: string, offset: number, text: string): Promise<number> {
  const bytes = Buffer.from(text);
  const res = await fetch(`${url}/api/studio/runs/${runId}/logs/std_log.txt?offset=${offset}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
  if (!res.ok) throw new Error(`append ${res.status}`);
  return offset + bytes.length;
}

/**
 * Budgets "log line appended → visible in an open browser" and "a 50 MB log opens at
 * once": a running run with a 50 MB log is opened cold in Chromium, then single lines are
 * appended through the API and timed until they are on screen.
 */
export async function benchLogs(): Promise<Figure[]> {
  const server = await startServer(freshDataDir('logs'));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    const { run } = await post<{ run: { info: { run_id: string } } }>(`${server.url}/api/2.0/mlflow/runs/create`, { run_name: 'log-bench' });
    const runId = run.info.run_id;
    let offset = 0;
    let n = 0;
    while (offset < 50 * 1024 * 1024) {
      let chunk = '';
      while (chunk.length < 4 * 1024 * 1024) chunk += `${n} step=${n} loss=${(1 / ++n).toFixed(8)} ${'x'.repeat(60)}\n`;
      offset = await append(server.url, runId, offset, chunk);
    }
    const page = await (await browser.newContext()).newPage();
    const t0 = performance.now();
    await page.goto(`${server.url}/runs/${runId}?tab=outputs`, { waitUntil: 'commit' });
    await page.getByText('0 step=0 loss=1.00000000', { exact: false }).first().waitFor();
    const openMs = performance.now() - t0;
    await page.getByRole('region', { name: 'Log std_log.txt' }).evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(500);
    const latencies: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const marker = `live-line-${i}-${Date.now()}`;
      const started = performance.now();
      offset = await append(server.url, runId, offset, `${marker}\n`);
      await page.getByText(marker).waitFor();
      latencies.push(performance.now() - started);
      await page.waitForTimeout(100);
    }
    return [
      { what: 'a 50 MB log, cold open of Outputs + logs to first lines in Chromium (ms)', value: fmt(openMs, 0), budget: '"at once"', met: null },
      { what: 'log line appended through the API → visible in the open page: p50 / max of 20 (ms)', value: `${fmt(percentile(latencies, 50), 0)} / ${fmt(Math.max(...latencies), 0)}`, budget: '≤ 1,000', met: Math.max(...latencies) <= 1000 },
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}
