import { expect, test } from '@playwright/test';
import { mlflow, unique } from '../fixtures/api.js';

test('the studio served at / lists experiments logged through the MLflow API', async ({ page, request }) => {
  const name = unique('vision');
  await mlflow(request, 'experiments/create', { name });
  await page.goto('/');
  const table = page.getByRole('table', { name: 'Experiments' });
  await expect(table.getByRole('row', { name: new RegExp(name) })).toBeVisible();
  await expect(table.getByRole('row', { name: /Default/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/shell.png', fullPage: true });
});

test('a deep link is answered by the app, an unknown API path by a JSON 404', async ({ page, request }) => {
  const response = await page.goto('/runs/0123456789abcdef0123456789abcdef');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('link', { name: 'Runstudio' })).toBeVisible();
  const api = await request.get('/api/2.0/mlflow/nope');
  expect(api.status()).toBe(404);
  expect(await api.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
});
