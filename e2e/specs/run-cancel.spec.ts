import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { runRow } from '../fixtures/explorer.js';

test('cancelling a running run from the toolbar, after confirming', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: 'diverging' });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByText('Running', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Cancel this run?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Keep running' }).click();
  await expect(page.getByText('Running', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await dialog.getByRole('button', { name: 'Cancel run' }).click();
  await expect(page.getByText('Canceled', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toBeDisabled();

  await page.goto(`/experiments/${experimentId}`);
  await expect(runRow(page, 'diverging').getByText('Canceled')).toBeVisible();
});
