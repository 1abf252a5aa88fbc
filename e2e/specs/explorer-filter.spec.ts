import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { runNames } from '../fixtures/explorer.js';

test('filtering an experiment by a tag, by a metric, and with the advanced grammar', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  await createRun(request, { experimentId, name: 'cv-good', startTime: 3000, tags: { team: 'vision' }, metrics: { loss: 0.2 } });
  await createRun(request, { experimentId, name: 'cv-bad', startTime: 2000, tags: { team: 'vision' }, metrics: { loss: 0.9 } });
  await createRun(request, { experimentId, name: 'nlp-good', startTime: 1000, tags: { team: 'language' }, metrics: { loss: 0.1 } });
  await page.goto(`/experiments/${experimentId}`);
  await expect(page.getByText('3 runs')).toBeVisible();

  await page.getByRole('button', { name: 'Add filter' }).click();
  const form = page.getByRole('dialog', { name: 'Add filter' });
  await form.getByLabel('Field').selectOption('tag');
  await form.getByLabel('Key').fill('team');
  await form.getByLabel('Operator').selectOption('=');
  await form.getByLabel('Value').fill('vision');
  await form.getByRole('button', { name: 'Apply filter' }).click();
  await expect(page.getByText('team is vision')).toBeVisible();
  await expect(page.getByText('2 matches')).toBeVisible();
  expect(await runNames(page)).toEqual(['cv-good', 'cv-bad']);

  await page.getByRole('button', { name: 'Add filter' }).click();
  await form.getByLabel('Field').selectOption('metric');
  await form.getByLabel('Key').fill('loss');
  await form.getByLabel('Operator').selectOption('<');
  await form.getByLabel('Value').fill('0.5');
  await form.getByRole('button', { name: 'Apply filter' }).click();
  await expect(page.getByText('1 match', { exact: true })).toBeVisible();
  expect(await runNames(page)).toEqual(['cv-good']);

  await page.getByRole('button', { name: 'Remove filter team is vision' }).click();
  await expect(page.getByText('2 matches')).toBeVisible();
  expect(await runNames(page)).toEqual(['cv-good', 'nlp-good']);

  await page.getByRole('button', { name: 'Advanced filter' }).click();
  const box = page.getByRole('textbox', { name: /Filter expression/ });
  await box.fill('metrics.loss <');
  await page.getByRole('button', { name: 'Apply expression' }).click();
  await expect(page.getByRole('alert')).toContainText('Invalid filter');
  await expect(box).toHaveAttribute('aria-invalid', 'true');

  await box.fill("tags.team = 'language'");
  await page.getByRole('button', { name: 'Apply expression' }).click();
  await expect(page.getByText('1 match', { exact: true })).toBeVisible();
  expect(await runNames(page)).toEqual(['nlp-good']);
  await page.screenshot({ path: 'test-results/explorer-filters.png' });
});
