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
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
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

test('an image from another site in a description is not fetched until asked for', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: 'pixel', description: 'Results\n\n![pixel](https://tracker.example/p.png?reader=1)' });
  const foreign: string[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).hostname === 'tracker.example') foreign.push(req.url());
  });
  const response = await page.goto(`/runs/${runId}`);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("img-src 'self' data: blob:");
  expect(csp).not.toContain('https:');
  const placeholder = page.getByRole('link', { name: 'Open image “pixel” from tracker.example' });
  await expect(placeholder).toBeVisible();
  await expect(placeholder).toHaveAttribute('href', 'https://tracker.example/p.png?reader=1');
  await expect(page.locator('img[src*="tracker.example"]')).toHaveCount(0);
  expect(foreign).toEqual([]);
  // Asked for, it opens in a tab of its own, never inside the studio's page.
  await expect(placeholder).toHaveAttribute('target', '_blank');
  await expect(placeholder).toHaveAttribute('rel', /noopener/);
});
