import { expect, test } from '@playwright/test';
import { createExperiment, createRun, unique } from '../fixtures/api.js';
import { runNames } from '../fixtures/explorer.js';

test('searching All runs for a word that only a description holds finds that run', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const word = unique('zebra').replaceAll('-', '');
  await createRun(request, { experimentId, name: 'described-run', description: `## Goal\nCheck the **${word}** augmentation` });
  await createRun(request, { experimentId, name: 'plain-run' });

  await page.goto('/runs');
  await expect(page.getByRole('heading', { name: 'All runs' })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search runs' }).fill(word);
  await expect(page.getByText('1 match', { exact: true })).toBeVisible();
  expect(await runNames(page)).toEqual(['described-run']);
  await expect(page).toHaveURL(new RegExp(`q=${word}`));

  await page.getByRole('searchbox', { name: 'Search runs' }).fill(`${word}-nothing-else`);
  await expect(page.getByText('No run matches these filters')).toBeVisible();
  await page.getByRole('button', { name: 'Clear search and filters' }).click();
  await expect(page.getByRole('searchbox', { name: 'Search runs' })).toHaveValue('');
});
