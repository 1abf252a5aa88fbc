import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { runRow } from '../fixtures/explorer.js';

test('cancelling a run no launcher holds: the dialog says its process is not stopped, and it is Canceled at once', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: 'diverging' });
  await createRun(request, { experimentId, name: 'diverging-fold-1', parentRunId: runId });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByText('Running', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Cancel this run?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Runstudio did not launch this run and cannot stop its process');
  await expect(dialog).toContainText('will only be marked Canceled');
  await expect(dialog).toContainText('child runs are canceled too');
  await page.screenshot({ path: 'test-results/run-cancel-dialog-not-launched.png' });
  await dialog.getByRole('button', { name: 'Keep running' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Running', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await dialog.getByRole('button', { name: 'Cancel run' }).click();
  // No launcher to wait for: Canceled straight away, never "Cancel requested".
  await expect(page.getByText('Canceled', { exact: true })).toBeVisible();
  await expect(page.getByText('Cancel requested')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Mark as failed', exact: true })).toBeDisabled();

  await page.getByRole('tab', { name: 'Child runs' }).click();
  const child = page.getByRole('table', { name: 'Child runs' }).getByRole('row').filter({ hasText: 'diverging-fold-1' });
  await expect(child.getByText('Canceled', { exact: true })).toBeVisible();

  await page.goto(`/experiments/${experimentId}`);
  await expect(runRow(page, 'diverging').getByText('Canceled')).toBeVisible();
});
