import { expect, test } from '@playwright/test';
import { addChart, chart } from '../fixtures/charts.js';
import { runRow } from '../fixtures/explorer.js';
import { seedSweep } from '../fixtures/sweep.js';

test('adding a line chart and a scatter chart, then selecting runs to plot', async ({ page, request }) => {
  const { experimentId } = await seedSweep(request);
  await page.goto(`/experiments/${experimentId}`);

  await addChart(page, 'Line', { Metric: 'loss', 'X axis': 'Step' });
  const line = chart(page, 'loss over step');
  await expect(line).toBeVisible();
  await expect(line.locator('path.recharts-line-curve')).toHaveCount(4);
  for (const name of ['sweep-a', 'sweep-b', 'sweep-c', 'sweep-d']) await expect(line.getByText(name)).toBeVisible();

  await addChart(page, 'Scatter', { 'X axis': 'lr (property)', 'Y axis': 'acc (metric)' });
  const scatter = chart(page, 'acc against lr');
  await expect(scatter.locator('.recharts-scatter-symbol')).toHaveCount(4);

  await runRow(page, 'sweep-b').getByRole('checkbox', { name: 'Select sweep-b' }).check();
  await runRow(page, 'sweep-d').getByRole('checkbox', { name: 'Select sweep-d' }).check();
  await expect(page.getByText('Plotting the 2 selected runs')).toBeVisible();
  await expect(line.locator('path.recharts-line-curve')).toHaveCount(2);
  await expect(line.getByText('sweep-a')).toHaveCount(0);
  await expect(line.getByText('sweep-d')).toBeVisible();
  await expect(scatter.locator('.recharts-scatter-symbol')).toHaveCount(2);

  await line.getByRole('checkbox', { name: 'Log scale' }).check();
  await line.getByRole('slider', { name: 'Smoothing' }).fill('0.6');
  await page.getByRole('button', { name: 'Move acc against lr left' }).click();
  await expect(page.getByRole('figure').first()).toHaveAccessibleName('acc against lr');
  await page.getByLabel('Size of loss over step').selectOption('Wide');
  await page.screenshot({ path: 'test-results/charts.png', fullPage: true });
  await page.getByRole('button', { name: 'Remove acc against lr' }).click();
  await expect(scatter).toHaveCount(0);
  await page.reload();
  await expect(chart(page, 'loss over step').getByRole('checkbox', { name: 'Log scale' })).toBeChecked();
});
