import { expect, test } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';

test('adding a value-less tag, editing and deleting a tag; properties cannot be edited', async ({ page, request }) => {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: 'tagged', params: { lr: '0.01', optimizer: 'adam' } });
  await page.goto(`/runs/${runId}`);
  const tags = page.getByRole('list', { name: 'Tags' });

  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByRole('textbox', { name: 'Key' }).fill('golden');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(tags.getByText('golden', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByRole('textbox', { name: 'Key' }).fill('stage');
  await page.getByRole('textbox', { name: 'Value (optional)' }).fill('draft');
  await page.keyboard.press('Enter');
  await expect(tags.getByText('stage: draft')).toBeVisible();

  await page.getByRole('button', { name: 'Edit tag stage' }).click();
  await page.getByRole('textbox', { name: 'Value of stage' }).fill('final');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(tags.getByText('stage: final')).toBeVisible();

  await page.getByRole('button', { name: 'Delete tag golden' }).click();
  await expect(tags.getByText('golden', { exact: true })).toHaveCount(0);
  await page.reload();
  await expect(tags.getByText('stage: final')).toBeVisible();
  await expect(tags.getByText('golden', { exact: true })).toHaveCount(0);

  await page.getByRole('checkbox', { name: 'Show system tags' }).check();
  await expect(page.getByRole('table', { name: 'System tags' }).getByRole('cell', { name: 'mlflow.runName' })).toBeVisible();

  const properties = page.getByRole('table', { name: 'Properties' });
  await expect(properties.getByRole('row', { name: /optimizer\s+adam/ })).toBeVisible();
  await expect(properties.getByRole('button')).toHaveCount(0);
  await expect(properties.getByRole('textbox')).toHaveCount(0);
  await expect(page.getByText('They cannot be changed once logged.')).toBeVisible();
});
