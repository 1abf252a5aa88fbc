import { expect, test, type Page } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { runRow, runTable } from '../fixtures/explorer.js';
import { logInputs, logModel } from '../fixtures/models.js';

/** The display names, top to bottom: the Name column's links only (model chips link to runs too). */
const runNames = (page: Page) => runTable(page).locator('tbody tr[data-run-id] td:nth-child(2) a[href^="/runs/"]').allInnerTexts();

test('the Datasets and Models columns show chips, and a dataset filter narrows the runs', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const mnist = await createRun(request, { experimentId, name: 'on-mnist', startTime: 2000, status: 'FINISHED' });
  const imagenet = await createRun(request, { experimentId, name: 'on-imagenet', startTime: 3000, status: 'FINISHED' });
  await createRun(request, { experimentId, name: 'no-data', startTime: 1000, status: 'FINISHED' });
  await logInputs(request, mnist, [
    { name: 'mnist-train', digest: 'a1b2c3', context: 'training' },
    { name: 'mnist-test', digest: 'd4e5f6', context: 'evaluation' },
  ]);
  await logInputs(request, imagenet, [{ name: 'imagenet', digest: '0f0f0f', context: 'training' }]);
  await logModel(request, { experimentId, runId: mnist, name: 'digit-classifier' });

  // Wide enough that the two columns, added after the defaults, are on screen.
  await page.setViewportSize({ width: 1800, height: 800 });
  await page.goto(`/experiments/${experimentId}`);
  await expect.poll(() => runNames(page)).toEqual(['on-imagenet', 'on-mnist', 'no-data']);
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'Datasets' }).check();
  await page.getByRole('checkbox', { name: 'Models' }).check();
  await page.keyboard.press('Escape');
  await expect(runTable(page).getByRole('columnheader', { name: 'Datasets' })).toBeVisible();
  await expect(runRow(page, 'on-mnist').getByText('mnist-train')).toHaveAttribute('title', 'mnist-train · digest a1b2c3 · training');
  await expect(runRow(page, 'on-mnist').getByRole('link', { name: 'digit-classifier' })).toHaveAttribute('href', `/runs/${mnist}?tab=models`);
  await page.screenshot({ path: '/tmp/shots/explorer-datasets-columns.png' });

  await page.getByRole('button', { name: 'Add filter' }).click();
  const form = page.getByRole('dialog', { name: 'Add filter' });
  await form.getByRole('combobox', { name: 'Field' }).selectOption('Dataset');
  await form.getByRole('combobox', { name: 'Operator' }).selectOption('contains');
  await form.getByRole('combobox', { name: 'Value' }).fill('mnist');
  await form.getByRole('button', { name: 'Apply filter' }).click();
  await expect(page.getByRole('button', { name: 'Remove filter Dataset contains mnist' })).toBeVisible();
  await expect.poll(() => runNames(page)).toEqual(['on-mnist']);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Remove filter Dataset contains mnist' })).toBeVisible();
  await expect.poll(() => runNames(page)).toEqual(['on-mnist']);
  await expect(runTable(page).getByRole('columnheader', { name: 'Models' })).toBeVisible();
  await page.screenshot({ path: '/tmp/shots/explorer-datasets-filtered.png' });

  // A model chip opens the run on its Models tab.
  await runRow(page, 'on-mnist').getByRole('link', { name: 'digit-classifier' }).click();
  await expect(page.getByRole('tab', { name: /^Models/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('article', { name: 'digit-classifier' })).toBeVisible();
});
