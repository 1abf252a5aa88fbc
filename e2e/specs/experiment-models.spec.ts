import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { logModel } from '../fixtures/models.js';

test("the experiment's Models tab lists logged models with their source runs, sorts them, and opens a source run", async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const trainA = await createRun(request, { experimentId, name: 'train-a', status: 'FINISHED' });
  const trainB = await createRun(request, { experimentId, name: 'train-b', status: 'FINISHED' });
  await logModel(request, { experimentId, runId: trainA, name: 'scorer', metrics: { auc: 0.71 } });
  await logModel(request, { experimentId, runId: trainB, name: 'ranker', metrics: { auc: 0.93 } });

  await page.goto(`/experiments/${experimentId}`);
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(page).toHaveURL(new RegExp(`/experiments/${experimentId}/models$`));
  await expect(page.getByRole('tab', { name: 'Models' })).toHaveAttribute('aria-selected', 'true');
  const table = page.getByRole('table', { name: 'Logged models' });
  const names = () => table.locator('tbody tr td:first-child').allInnerTexts();
  await expect(table.getByRole('row').filter({ hasText: 'scorer' }).getByRole('link', { name: 'train-a' })).toBeVisible();
  await page.screenshot({ path: '/tmp/shots/models-list.png' });

  await table.getByRole('button', { name: 'auc metric' }).click();
  await expect(table.getByRole('columnheader', { name: /auc/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(names).toEqual(['scorer', 'ranker']);
  await table.getByRole('button', { name: 'auc metric' }).click();
  await expect(table.getByRole('columnheader', { name: /auc/ })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(names).toEqual(['ranker', 'scorer']);
  await table.getByRole('button', { name: 'Name' }).click();
  await expect.poll(names).toEqual(['ranker', 'scorer']);
  await expect(table.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending');
  await page.screenshot({ path: '/tmp/shots/models-sorted.png' });

  await table.getByRole('link', { name: 'train-b' }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${trainB}`));
  await expect(page.getByRole('heading', { level: 1, name: 'train-b' })).toBeVisible();
});

test('an experiment without logged models says so', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  await page.goto(`/experiments/${experimentId}/models`);
  await expect(page.getByText('No logged models in this experiment yet')).toBeVisible();
  await page.screenshot({ path: '/tmp/shots/models-empty.png' });
});
