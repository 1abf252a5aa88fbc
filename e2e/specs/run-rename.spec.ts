import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { runNames } from '../fixtures/explorer.js';

test('renaming a run with the pencil; Escape discards; the run list shows the new name', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: 'old-name' });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole('heading', { name: 'old-name' })).toBeVisible();

  await page.getByRole('button', { name: 'Edit display name' }).click();
  await page.getByRole('textbox', { name: 'Display name' }).fill('discarded');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'old-name' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit display name' })).toBeFocused();

  await page.getByRole('button', { name: 'Edit display name' }).click();
  await page.getByRole('textbox', { name: 'Display name' }).fill('resnet-50 baseline');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'resnet-50 baseline' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'resnet-50 baseline' })).toBeVisible();

  await page.goto(`/experiments/${experimentId}`);
  expect(await runNames(page)).toEqual(['resnet-50 baseline']);
});
