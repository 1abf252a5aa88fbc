import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { runNames, runRow } from '../fixtures/explorer.js';

test('expanding a parent shows its children, then its grandchildren; a run opens from the table', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const parent = await createRun(request, { experimentId, name: 'sweep', startTime: 5000 });
  const child = await createRun(request, { experimentId, name: 'trial-a', startTime: 6000, parentRunId: parent });
  await createRun(request, { experimentId, name: 'trial-b', startTime: 7000, parentRunId: parent });
  await createRun(request, { experimentId, name: 'fold-1', startTime: 8000, parentRunId: child, params: { fold: '1' } });
  await createRun(request, { experimentId, name: 'standalone', startTime: 1000 });

  await page.goto(`/experiments/${experimentId}`);
  expect(await runNames(page)).toEqual(['sweep', 'standalone']);
  await runRow(page, 'sweep').getByRole('button', { name: 'Show child runs' }).click();
  await expect.poll(() => runNames(page)).toEqual(['sweep', 'trial-b', 'trial-a', 'standalone']);
  await runRow(page, 'trial-a').getByRole('button', { name: 'Show child runs' }).click();
  await expect.poll(() => runNames(page)).toEqual(['sweep', 'trial-b', 'trial-a', 'fold-1', 'standalone']);
  await expect(runRow(page, 'fold-1')).toContainText('child run at level 3');
  await page.screenshot({ path: 'test-results/explorer-children.png' });

  await runRow(page, 'sweep').getByRole('button', { name: 'Hide child runs' }).click();
  await expect.poll(() => runNames(page)).toEqual(['sweep', 'standalone']);

  await page.getByRole('checkbox', { name: 'Flat list (child runs too)' }).check();
  await expect.poll(() => runNames(page)).toEqual(['fold-1', 'trial-b', 'trial-a', 'sweep', 'standalone']);

  await page.getByRole('link', { name: 'fold-1' }).click();
  await expect(page.getByRole('heading', { name: 'fold-1' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'fold', exact: true })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('checkbox', { name: 'Flat list (child runs too)' })).toBeChecked();
});
