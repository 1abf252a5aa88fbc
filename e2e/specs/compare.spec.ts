import { expect, test } from '@playwright/test';
import { runRow } from '../fixtures/explorer.js';
import { seedSweep } from '../fixtures/sweep.js';

test('comparing three runs: properties and tags side by side, differences marked, metrics overlaid', async ({ page, request }) => {
  const { experimentId } = await seedSweep(request);
  await page.goto(`/experiments/${experimentId}`);
  for (const name of ['sweep-a', 'sweep-b', 'sweep-c']) await runRow(page, name).getByRole('checkbox', { name: `Select ${name}` }).check();
  await page.getByRole('link', { name: 'Compare 3 runs' }).click();

  await expect(page.getByRole('heading', { name: 'Compare 3 runs' })).toBeVisible();
  const properties = page.getByRole('table', { name: 'Properties' });
  await expect(properties.getByRole('columnheader')).toHaveText(['Key', 'sweep-a', 'sweep-b', 'sweep-c']);
  const lr = properties.getByRole('row', { name: /lr/ });
  await expect(lr).toHaveAttribute('data-differs', 'true');
  await expect(lr.getByRole('cell')).toHaveText(['0.1', '0.03', '0.01']);
  await expect(properties.getByRole('row', { name: /optimizer/ })).toHaveAttribute('data-differs', 'false');
  const tags = page.getByRole('table', { name: 'Tags' });
  await expect(tags.getByRole('row', { name: /team/ }).getByRole('cell')).toHaveText(['vision', 'vision', 'audio']);

  await page.getByRole('checkbox', { name: 'Only differences' }).check();
  await expect(properties.getByRole('row', { name: /optimizer/ })).toHaveCount(0);
  await expect(lr).toBeVisible();

  const loss = page.getByRole('figure', { name: 'loss over step' });
  await expect(loss.locator('path.recharts-line-curve')).toHaveCount(3);
  await page.screenshot({ path: 'test-results/compare.png', fullPage: true });
});
