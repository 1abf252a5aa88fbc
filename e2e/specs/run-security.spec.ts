import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';

const payload = '<img src=x onerror="window.__xss = 1; alert(1)">';

test('HTML and javascript: links in a description or a tag run nothing', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, {
    experimentId,
    name: 'hostile',
    description: `# Title\n\n${payload}\n\n<script>window.__xss = 2</script>\n\n[click me](javascript:window.__xss=3)\n\n<a href="javascript:window.__xss=4">raw link</a>`,
    tags: { evil: payload },
  });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole('heading', { name: 'Title' })).toBeVisible();
  await expect(page.getByText(`evil: ${payload}`)).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator('script', { hasText: '__xss' })).toHaveCount(0);
  const link = page.getByText('click me');
  if ((await link.count()) > 0) {
    expect(await link.getAttribute('href')).not.toMatch(/^javascript:/i);
    await link.click();
  }

  await page.goto(`/experiments/${experimentId}`);
  await expect(page.getByText(`evil: ${payload}`)).toBeVisible();
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});
