import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { appendLog } from '../fixtures/blobs.js';

test("a running run's log: lines appended appear live, with colours; search moves between matches", async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: 'tailing' });
  const lines = Array.from({ length: 300 }, (_, i) => (i % 100 === 50 ? `\u001b[31mERROR\u001b[0m step ${i} diverged` : `step ${i} ok`));
  await appendLog(request, runId, 'std_log.txt', `${lines.join('\n')}\n`);

  await page.goto(`/runs/${runId}?tab=outputs`);
  const log = page.getByRole('region', { name: 'Log std_log.txt' });
  await expect(log.getByText('step 0 ok', { exact: true })).toBeVisible();
  await expect(page.getByText('Live')).toBeVisible();

  await page.getByRole('searchbox', { name: 'Search log' }).fill('diverged');
  await page.keyboard.press('Enter');
  await expect(page.getByText('1 of 3 matches')).toBeVisible();
  await expect(log.getByText('step 50 diverged')).toBeVisible();
  await expect(log.getByText('ERROR').first()).toHaveCSS('color', 'rgb(201, 42, 42)');
  await page.getByRole('button', { name: 'Next match' }).click();
  await expect(page.getByText('2 of 3 matches')).toBeVisible();
  await expect(log.getByText('step 150 diverged')).toBeVisible();
  await page.getByRole('button', { name: 'Previous match' }).click();
  await expect(page.getByText('1 of 3 matches')).toBeVisible();

  await log.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await appendLog(request, runId, 'std_log.txt', 'epoch 1 finished: live line\n');
  await expect(log.getByText('epoch 1 finished: live line')).toBeVisible();
  await appendLog(request, runId, 'std_log.txt', 'epoch 2 finished: another live line\n');
  await expect(log.getByText('epoch 2 finished: another live line')).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download' }).click();
  expect((await download).suggestedFilename()).toBe('std_log.txt');
});
