import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { appendLog } from '../fixtures/blobs.js';
import { logInputs, logModel } from '../fixtures/models.js';

test('the explorer, experiments and run pages have no serious accessibility violations', async ({ page, request }) => {
  // Nine pages in two colour schemes, each with a full axe scan: longer than one page's test.
  test.setTimeout(120_000);
  const experimentId = await createExperiment(request);
  const parent = await createRun(request, { experimentId, name: 'a11y-parent', tags: { team: 'x', 'runstudio.compute': 'gpu' }, params: { lr: '0.1' }, metrics: { loss: 0.5 }, description: '## Notes\n\n| a | b |\n| - | - |\n| 1 | 2 |' });
  await createRun(request, { experimentId, name: 'a11y-child', parentRunId: parent, status: 'FAILED' });
  await appendLog(request, parent, 'std_log.txt', 'line one\n\u001b[32mline two\u001b[0m\n');
  await logInputs(request, parent, [{ name: 'a11y-train', digest: 'd1', context: 'training' }]);
  await logModel(request, { experimentId, runId: parent, name: 'a11y-model', metrics: { auc: 0.9 } });
  const runPaths = ['', '?tab=metrics', '?tab=children', '?tab=models', '?tab=outputs'].map((q) => `/runs/${parent}${q}`);
  for (const path of ['/runs', `/experiments/${experimentId}`, `/experiments/${experimentId}/models`, '/experiments', ...runPaths]) {
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
