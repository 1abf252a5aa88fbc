import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';

test('the explorer and experiments pages have no serious accessibility violations', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const parent = await createRun(request, { experimentId, name: 'a11y-parent', tags: { team: 'x', 'runstudio.compute': 'gpu' } });
  await createRun(request, { experimentId, name: 'a11y-child', parentRunId: parent, status: 'FAILED' });
  for (const path of ['/runs', `/experiments/${experimentId}`, '/experiments']) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(path);
      await expect(page.getByRole('heading').first()).toBeVisible();
      await page.waitForLoadState('networkidle');
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${path} (${scheme}): ${v.id} ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
    }
  }
});
