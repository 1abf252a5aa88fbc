import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { runRow, runTable } from '../fixtures/explorer.js';
import { addChildren } from '../fixtures/large-sweep.js';

const CHILDREN = Number(process.env.SWEEP_CHILDREN ?? 100_000);

test('a sweep of 100,000 child runs opens page by page, in the explorer and on its Child runs tab', async ({ page, request }) => {
  test.setTimeout(240_000);
  const experimentId = await createExperiment(request);
  const parent = await createRun(request, { experimentId, name: 'big-sweep', startTime: Date.now() - 60_000 });
  const seconds = await addChildren(request, parent, CHILDREN);
  test.info().annotations.push({ type: 'seeding', description: `${CHILDREN.toLocaleString('en')} children in ${seconds.toFixed(1)} s` });

  await page.goto(`/experiments/${experimentId}`);
  await runRow(page, 'big-sweep').getByRole('button', { name: 'Show child runs' }).click();
  await expect(runTable(page).getByRole('link', { name: /^big-sweep-\d+$/ }).first()).toBeVisible();

  // The button works from the keyboard while its line is still below the view...
  const scroller = runTable(page).locator('xpath=..');
  const moreName = { name: 'Load more child runs of big-sweep' };
  const more = runTable(page).getByRole('button', moreName);
  const moreRow = runTable(page).getByRole('row').filter({ has: page.getByRole('button', moreName) });
  await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight - el.clientHeight - 6 * 34));
  await expect(moreRow).toContainText(`100 of ${CHILDREN.toLocaleString('en')} shown`);
  await expect(more).not.toBeInViewport();
  await more.evaluate((button: HTMLElement) => button.focus({ preventScroll: true }));
  await page.keyboard.press('Enter');
  // The next 100 children push the line down, out of the rendered rows.
  await expect(more).toHaveCount(0);

  // ...and the line loads the next page by itself once it scrolls into view.
  // (A loaded page pushes the line below the rendered rows again, so scroll down till rows past 300 show.)
  const lastChild = runTable(page).getByRole('row', { name: /big-sweep-\d+/ }).last();
  await expect(async () => {
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    expect(Number(await lastChild.getAttribute('aria-rowindex', { timeout: 1000 }))).toBeGreaterThan(302);
  }).toPass();
  await page.screenshot({ path: 'test-results/sweep-large-explorer.png' });

  await page.goto(`/runs/${parent}?tab=children`);
  const status = page.getByRole('status').filter({ hasText: 'child runs loaded' });
  await expect(status).toHaveText('200 child runs loaded, more below');
  const children = page.getByRole('table', { name: 'Child runs' });
  await expect(children.getByRole('link', { name: /^big-sweep-\d+$/ }).first()).toBeVisible();
  const list = page.getByRole('region', { name: 'Child runs list' });
  await list.focus();
  // End jumps to the last loaded row; the page after it loads by itself, so End again goes further.
  await expect(async () => {
    await page.keyboard.press('End');
    await expect(status).toHaveText(/^(?:[4-9]\d\d|[\d,]{5,}) child runs loaded, more below$/, { timeout: 1000 });
  }).toPass();
  // The row at the bottom of the list on screen is one past the first page.
  const rowOnScreen = await list.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return Number(document.elementFromPoint(box.left + 40, box.bottom - 20)?.closest('tr')?.getAttribute('aria-rowindex'));
  });
  expect(rowOnScreen).toBeGreaterThan(201);
  await page.screenshot({ path: 'test-results/sweep-large-children-tab.png' });
});
