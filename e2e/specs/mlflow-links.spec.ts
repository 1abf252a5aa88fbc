import { expect, test, type Page } from '@playwright/test';
import { createExperiment, createRun, mlflow, unique } from '../fixtures/api.js';

// MLflow's client prints "View run at: http://host/#/experiments/1/runs/<id>": links into MLflow's UI.

/** Where the page is, path to hash: an MLflow link left in the hash shows here. */
const at = (page: Page) =>
  expect.poll(() => {
    const url = new URL(page.url());
    return url.pathname + url.search + url.hash;
  });

test("the link the MLflow client prints opens the run's page, without an extra history entry", async ({ page, request }) => {
  const name = unique('hash-link-run');
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name });
  await page.goto('/experiments');
  await page.goto(`/#/experiments/${experimentId}/runs/${runId}`);
  await at(page).toBe(`/runs/${runId}`);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  // The hash link was replaced, not kept behind the run's page.
  await page.goBack();
  await at(page).toBe('/experiments');

  await page.goto(`/#/experiments/${experimentId}/runs/${runId}/artifacts/model/MLmodel`);
  await at(page).toBe(`/runs/${runId}?tab=outputs`);
  await expect(page.getByRole('heading', { name })).toBeVisible();
});

test("an experiment's link opens its runs, other MLflow routes the closest page", async ({ page, request }) => {
  const experimentName = unique('hash-link-exp');
  const experimentId = (await mlflow<{ experiment_id: string }>(request, 'experiments/create', { name: experimentName })).experiment_id;
  await createRun(request, { experimentId, name: 'listed-run' });
  await page.goto(`/#/experiments/${experimentId}`);
  await at(page).toBe(`/experiments/${experimentId}`);
  await expect(page.getByRole('heading', { name: experimentName, level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'listed-run' })).toBeVisible();

  // MLflow 3's link to a logged model of the experiment opens the experiment's Models tab.
  await page.goto(`/#/experiments/${experimentId}/models/m-0123456789abcdef0123456789abcdef`);
  await at(page).toBe(`/experiments/${experimentId}/models`);
  await expect(page.getByRole('tab', { name: 'Models' })).toHaveAttribute('aria-selected', 'true');

  await page.goto('/#/models/iris/versions/1');
  await at(page).toBe('/experiments');
  await expect(page.getByRole('heading', { name: 'Experiments' })).toBeVisible();
  await page.goto('/#/some/other/route');
  await at(page).toBe('/runs');
  await expect(page.getByRole('heading', { name: 'All runs' })).toBeVisible();
});

test('a hash link pasted over the open app is followed too, replacing the address', async ({ page, request }) => {
  const name = unique('hash-link-pasted');
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name });
  await page.goto('/experiments');
  await expect(page.getByRole('heading', { name: 'Experiments' })).toBeVisible();
  await page.evaluate((hash) => {
    window.location.hash = hash;
  }, `#/experiments/${experimentId}/runs/${runId}`);
  await at(page).toBe(`/runs/${runId}`);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await page.goBack();
  await at(page).toBe('/experiments');
});

test('the skip link, an ordinary anchor, is left alone', async ({ page, request }) => {
  const name = unique('skip-link-run');
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await at(page).toBe(`/runs/${runId}#main`);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  // The next Tab continues inside the page's content, past the top bar.
  await page.keyboard.press('Tab');
  await expect(page.locator('#main :focus')).toHaveCount(1);
});
