import { expect, test } from '@playwright/test';
import { createExperiment, createRun, mlflow } from '../fixtures/api.js';
import { runRow } from '../fixtures/explorer.js';

test("a running run's status and metrics change on screen without a reload", async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: 'training', metrics: { loss: 0.9 } });
  await page.goto(`/experiments/${experimentId}`);
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'loss (metric)' }).check();
  await page.keyboard.press('Escape');
  const row = runRow(page, 'training');
  await expect(row.getByText('Running')).toBeVisible();
  await expect(row.getByRole('cell', { name: '0.9', exact: true })).toBeVisible();
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  await mlflow(request, 'runs/log-metric', { run_id: runId, key: 'loss', value: 0.25, timestamp: Date.now(), step: 1 });
  await expect(row.getByRole('cell', { name: '0.25', exact: true })).toBeVisible({ timeout: 2_500 });
  await mlflow(request, 'runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });
  await expect(row.getByText('Completed')).toBeVisible({ timeout: 2_500 });
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
});
