import { expect, test } from '@playwright/test';
import { mlflow, unique } from '../fixtures/api.js';

test('All experiments lists experiments logged through the MLflow API, with run counts', async ({ page, request }) => {
  const name = unique('vision');
  const { experiment_id } = await mlflow<{ experiment_id: string }>(request, 'experiments/create', { name });
  await mlflow(request, 'runs/create', { experiment_id, run_name: 'only-run' });
  await page.goto('/experiments');
  const table = page.getByRole('table', { name: 'Experiments' });
  const row = table.getByRole('row', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell').nth(1)).toHaveText('1');
  await page.getByRole('searchbox', { name: 'Filter experiments' }).fill(name);
  await expect(table.getByRole('row')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/experiments.png' });
  await row.getByRole('link', { name }).click();
  await expect(page).toHaveURL(new RegExp(`/experiments/${experiment_id}`));
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'only-run' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Experiments' })).toBeVisible();
});

test('/ opens All runs; a deep link is answered by the app, an unknown API path by a JSON 404', async ({ page, request }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/runs$/);
  await expect(page.getByRole('heading', { name: 'All runs' })).toBeVisible();
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  const api = await request.get('/api/2.0/mlflow/nope');
  expect(api.status()).toBe(404);
  expect(await api.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
});
