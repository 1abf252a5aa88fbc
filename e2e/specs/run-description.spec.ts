import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { tinyPng, uploadArtifact } from '../fixtures/blobs.js';

test('writing a Markdown description with a heading, a table, an image and a link to another run, then following the link', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: 'described' });
  const otherId = await createRun(request, { experimentId, name: 'the-baseline' });
  await uploadArtifact(request, experimentId, runId, 'plots/curve.png', tinyPng);
  const markdown = [
    '## Why this run',
    '',
    '| lr | batch |',
    '| --- | --- |',
    '| 0.01 | 64 |',
    '',
    `![loss curve](/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/plots/curve.png)`,
    '',
    `Compare with [the baseline](/runs/${otherId}).`,
    '',
    '- [x] data checked',
  ].join('\n');

  await page.goto(`/runs/${runId}`);
  await page.getByRole('button', { name: 'Edit description' }).click();
  await page.getByRole('textbox', { name: 'Description (Markdown)' }).fill(markdown);
  const preview = page.getByRole('region', { name: 'Description preview' });
  await expect(preview.getByRole('heading', { name: 'Why this run' })).toBeVisible();
  await page.getByRole('button', { name: 'Save description' }).click();

  await expect(page.getByRole('heading', { name: 'Why this run' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '0.01' })).toBeVisible();
  const image = page.getByRole('img', { name: 'loss curve' });
  await expect(image).toBeVisible();
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(16);
  await expect(page.getByRole('listitem').filter({ hasText: 'data checked' }).getByRole('checkbox')).toBeChecked();
  await page.screenshot({ path: 'test-results/run-description.png', fullPage: true });

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Why this run' })).toBeVisible();
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
  await page.getByRole('link', { name: 'the baseline' }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${otherId}`));
  await expect(page.getByRole('heading', { name: 'the-baseline' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
});
