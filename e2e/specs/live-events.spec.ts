import { expect, test, type Page } from '@playwright/test';
import { createExperiment, createRun, mlflow, unique } from '../fixtures/api.js';
import { runRow } from '../fixtures/explorer.js';

/** Counts the page's requests to `path` from now on. */
function counter(page: Page, path: string) {
  let count = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === path) count += 1;
  });
  return () => count;
}

/** The page's run-event stream has answered (it is open). */
const streamOpen = (page: Page) => page.waitForResponse((response) => new URL(response.url()).pathname === '/api/studio/events' && response.status() === 200);

test('All runs shows a status change by push, and does not poll while the stream is up', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const name = unique('pushed');
  const runId = await createRun(request, { experimentId, name });
  const searches = counter(page, '/api/studio/runs/search');
  const open = streamOpen(page);
  await page.goto('/runs');
  const row = runRow(page, name);
  await expect(row.getByText('Running')).toBeVisible();
  await open;

  // Quiet: nothing changes, so nothing is read (the old page re-read its live runs every 1.5 s).
  // The first second lets the page settle (one read of its live runs once the stream is up).
  await page.waitForTimeout(1_000);
  const before = searches();
  await page.waitForTimeout(4_000);
  expect(searches() - before).toBe(0);

  await mlflow(request, 'runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });
  await expect(row.getByText('Completed')).toBeVisible();
  // The change cost one read of that run (two if its events came in two batches), not a reload.
  expect(searches() - before).toBeGreaterThanOrEqual(1);
  expect(searches() - before).toBeLessThanOrEqual(2);
});

test('an open run page draws a metric point as soon as it is logged', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: unique('charted') });
  const t0 = Date.now();
  await mlflow(request, 'runs/log-batch', { run_id: runId, metrics: [1, 0.5, 0.25].map((value, step) => ({ key: 'loss', value, step, timestamp: t0 + step })) });
  const series = counter(page, '/api/studio/metrics/series');
  const open = streamOpen(page);
  await page.goto(`/runs/${runId}?tab=metrics`);
  const chart = page.getByRole('figure', { name: 'Chart of loss over step' });
  await expect(chart).toContainText('3 points');
  await open;

  // The old page re-read its charts every 3 s; while the stream is up it does not.
  await page.waitForTimeout(1_000);
  const before = series();
  await page.waitForTimeout(3_500);
  expect(series() - before).toBe(0);

  await mlflow(request, 'runs/log-metric', { run_id: runId, key: 'loss', value: 0.125, step: 3, timestamp: Date.now() });
  await expect(chart).toContainText('4 points');
  // Drawn by push: nothing polled in between, so the one read is the event's.
  expect(series() - before).toBe(1);
});
