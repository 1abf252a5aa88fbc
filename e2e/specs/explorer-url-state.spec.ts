import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { runNames, runTable } from '../fixtures/explorer.js';

test('a reload, or the link pasted elsewhere, shows the same table', async ({ page, request, browser }) => {
  const experimentId = await createExperiment(request);
  await createRun(request, { experimentId, name: 'alpha', startTime: 1000, tags: { team: 'vision' }, params: { lr: '0.1' }, description: 'keep me' });
  await createRun(request, { experimentId, name: 'beta', startTime: 2000, tags: { team: 'vision' }, params: { lr: '0.2' }, description: 'keep me' });
  await createRun(request, { experimentId, name: 'gamma', startTime: 3000, tags: { team: 'audio' }, description: 'keep me' });
  await page.goto(`/experiments/${experimentId}`);

  await page.getByRole('searchbox', { name: 'Search runs' }).fill('keep');
  await expect(page.getByText('3 matches')).toBeVisible();
  await page.getByRole('button', { name: 'Add filter' }).click();
  const form = page.getByRole('dialog', { name: 'Add filter' });
  await form.getByLabel('Key').fill('team');
  await form.getByLabel('Value').fill('vision');
  await form.getByRole('button', { name: 'Apply filter' }).click();
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'lr (property)' }).check();
  await page.keyboard.press('Escape');
  await runTable(page).getByRole('button', { name: 'Created' }).click();
  await expect.poll(() => runNames(page)).toEqual(['alpha', 'beta']);

  const check = async (p: typeof page) => {
    await expect(p.getByRole('searchbox', { name: 'Search runs' })).toHaveValue('keep');
    await expect(p.getByText('team is vision')).toBeVisible();
    await expect(runTable(p).getByRole('columnheader', { name: /lr/ })).toBeVisible();
    await expect(runTable(p).getByRole('columnheader', { name: /Created/ })).toHaveAttribute('aria-sort', 'ascending');
    await expect.poll(() => runNames(p)).toEqual(['alpha', 'beta']);
  };
  await page.reload();
  await check(page);

  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(page.url());
  await check(fresh);
  await other.close();

  await page.getByRole('button', { name: 'Remove filter team is vision' }).click();
  await expect.poll(() => runNames(page)).toEqual(['alpha', 'beta', 'gamma']);
  await page.goBack();
  await expect(page.getByText('team is vision')).toBeVisible();
  await expect.poll(() => runNames(page)).toEqual(['alpha', 'beta']);
});
