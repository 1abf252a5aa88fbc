import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { runNames, runRow, runTable } from '../fixtures/explorer.js';

test('adding a metric column and a property column, and sorting by the metric on the server', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  await createRun(request, { experimentId, name: 'mid', startTime: 3000, metrics: { loss: 0.3 }, params: { lr: '0.01' } });
  await createRun(request, { experimentId, name: 'best', startTime: 2000, metrics: { loss: 0.1 }, params: { lr: '0.05' } });
  await createRun(request, { experimentId, name: 'worst', startTime: 1000, metrics: { loss: 0.9 }, params: { lr: '0.001' } });
  await createRun(request, { experimentId, name: 'no-metric', startTime: 4000 });
  await page.goto(`/experiments/${experimentId}`);
  expect(await runNames(page)).toEqual(['no-metric', 'mid', 'best', 'worst']);

  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'lr (property)' }).check();
  await page.getByRole('checkbox', { name: 'loss (metric)' }).check();
  await page.keyboard.press('Escape');
  await expect(runTable(page).getByRole('columnheader', { name: /lr/ })).toBeVisible();
  await expect(runRow(page, 'best').getByRole('cell', { name: '0.05', exact: true })).toBeVisible();
  await expect(runRow(page, 'best').getByRole('cell', { name: '0.1', exact: true })).toBeVisible();

  await runTable(page).getByRole('button', { name: /loss/ }).click();
  await expect(runTable(page).getByRole('columnheader', { name: /loss/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(() => runNames(page)).toEqual(['best', 'mid', 'worst', 'no-metric']);
  await runTable(page).getByRole('button', { name: /loss/ }).click();
  await expect(runTable(page).getByRole('columnheader', { name: /loss/ })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => runNames(page)).toEqual(['worst', 'mid', 'best', 'no-metric']);
  await page.screenshot({ path: 'test-results/explorer-columns.png' });
});
