import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { tinyPng, uploadArtifact } from '../fixtures/blobs.js';

test('outputs: an image and a JSON file are previewed; a CSV shows as a table', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: 'with-outputs', status: 'FINISHED' });
  await uploadArtifact(request, experimentId, runId, 'plots/loss.png', tinyPng);
  await uploadArtifact(request, experimentId, runId, 'metrics.json', '{"auc":0.93,"confusion":[[50,2],[3,45]]}');
  await uploadArtifact(request, experimentId, runId, 'predictions.csv', 'id,label,score\n1,cat,0.91\n2,dog,0.42\n');

  await page.goto(`/runs/${runId}`);
  await page.getByRole('tab', { name: 'Outputs + logs' }).click();
  const tree = page.getByRole('navigation', { name: 'Outputs and logs' });
  await tree.getByRole('button', { name: 'plots' }).click();
  await tree.getByRole('button', { name: 'loss.png' }).click();
  const image = page.getByRole('img', { name: 'plots/loss.png' });
  await expect(image).toBeVisible();
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(16);

  await tree.getByRole('button', { name: 'metrics.json' }).click();
  const json = page.getByLabel('Contents of metrics.json');
  await expect(json).toContainText('"auc": 0.93');
  await expect(json).toContainText('"confusion": [');

  await tree.getByRole('button', { name: 'predictions.csv' }).click();
  const table = page.getByRole('table', { name: 'Contents of predictions.csv' });
  await expect(table.getByRole('columnheader', { name: 'score' })).toBeVisible();
  await expect(table.getByRole('row', { name: /2\s+dog\s+0.42/ })).toBeVisible();
  await expect(page).toHaveURL(/file=artifact%3Apredictions.csv|file=artifact:predictions.csv/);
  await page.screenshot({ path: 'test-results/run-outputs.png' });
});
