import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { fmt, root, type Figure } from './support.js';

export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Gzip size of the JS the SPA's index.html loads before anything else. */
export function initialJsGzip(): number {
  const dist = path.join(root, 'dist', 'web');
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)].map((m) => m[1]!);
  return scripts.reduce((sum, src) => sum + gzipSync(fs.readFileSync(path.join(dist, src))).length, 0);
}

/**
 * Budget "All runs page with 100k runs": a cold browser context opens /runs and waits for
 * the first rows; then the table is scrolled until half the runs are loaded, to the middle,
 * and the rows in the DOM are counted.
 */
export async function benchBrowser(url: string, runs: number): Promise<Figure[]> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    const loads: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${url}/runs`, { waitUntil: 'commit' });
      await page.waitForSelector('tbody tr[data-run-id]');
      loads.push(performance.now() - t0);
      await context.close();
    }
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${url}/runs`);
    await page.waitForSelector('tbody tr[data-run-id]');
    const target = Math.floor(runs / 2);
    const started = performance.now();
    let loaded = 0;
    while (loaded < target && performance.now() - started < 180_000) {
      loaded = await page.evaluate(() => {
        const scroller = document.querySelector('table[aria-label="Runs"]')!.parentElement!;
        scroller.scrollTop = scroller.scrollHeight;
        return Math.round(scroller.scrollHeight / 34);
      });
      await page.waitForTimeout(30);
    }
    const scrollSeconds = (performance.now() - started) / 1000;
    const domRows = await page.evaluate(() => {
      const scroller = document.querySelector('table[aria-label="Runs"]')!.parentElement!;
      scroller.scrollTop = scroller.scrollHeight / 2;
      return new Promise<number>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(document.querySelectorAll('tbody tr').length))));
    });
    const firstMid = await page.locator('tbody tr[data-run-id] a[href^="/runs/"]').first().innerText();
    await context.close();
    loads.sort((a, b) => a - b);
    const median = loads[Math.floor(loads.length / 2)]!;
    return [
      { what: `All runs page, ${runs.toLocaleString()} runs: cold load to first rows in headless Chromium, median of 5 (ms)`, value: fmt(median, 0), budget: '≤ 1,500', met: median <= 1500 },
      { what: `All runs page: DOM rows in the middle (row "${firstMid}"), after scrolling through ${loaded.toLocaleString()} loaded runs in ${fmt(scrollSeconds)} s`, value: String(domRows), budget: '< 200', met: domRows < 200 },
      { what: 'initial JS of the SPA, gzip (KB)', value: fmt(initialJsGzip() / 1024), budget: '≤ 350', met: initialJsGzip() / 1024 <= 350 },
    ];
  } finally {
    await browser.close();
  }
}
