import { expect, test, type Locator, type Page } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { runNames } from '../fixtures/explorer.js';

/** Presses Tab until `target` has focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator, max = 40) {
  for (let i = 0; i < max; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('could not reach the element with Tab');
}

test('with the keyboard alone: search, filter, sort and open a run', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  await createRun(request, { experimentId, name: 'kb-one', startTime: 1000, tags: { team: 'vision' }, description: 'keyboard journey' });
  await createRun(request, { experimentId, name: 'kb-two', startTime: 2000, tags: { team: 'vision' }, description: 'keyboard journey' });
  await createRun(request, { experimentId, name: 'kb-three', startTime: 3000, tags: { team: 'audio' }, description: 'keyboard journey' });
  await page.goto(`/experiments/${experimentId}`);
  await expect(page.getByText('3 runs')).toBeVisible();

  await tabTo(page, page.getByRole('searchbox', { name: 'Search runs' }));
  await page.keyboard.type('journey');
  await page.keyboard.press('Enter');
  await expect(page.getByText('3 matches')).toBeVisible();

  await tabTo(page, page.getByRole('button', { name: 'Add filter' }));
  await page.keyboard.press('Enter');
  const form = page.getByRole('dialog', { name: 'Add filter' });
  await tabTo(page, form.getByLabel('Key'));
  await page.keyboard.type('team');
  await tabTo(page, form.getByLabel('Value'));
  await page.keyboard.type('vision');
  await page.keyboard.press('Enter');
  await expect(page.getByText('team is vision')).toBeVisible();
  await expect.poll(() => runNames(page)).toEqual(['kb-two', 'kb-one']);

  await tabTo(page, page.getByRole('button', { name: 'Name' }));
  await page.keyboard.press('Enter');
  await expect.poll(() => runNames(page)).toEqual(['kb-one', 'kb-two']);

  await tabTo(page, page.getByRole('link', { name: 'kb-two' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'kb-two' })).toBeVisible();
});
