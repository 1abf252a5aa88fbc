import { expect, test, type Locator, type Page } from '@playwright/test';
import { createExperiment, createRun } from '../fixtures/api.js';
import { logInputs, logModel } from '../fixtures/models.js';

const mlmodel = 'artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.sklearn\n  sklearn:\n    sklearn_version: 1.5.0\nmodel_id: placeholder\n';

/** Presses Tab until `target` has focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator, max = 60) {
  for (let i = 0; i < max; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('could not reach the element with Tab');
}

/** A finished run that trained on one dataset, was evaluated on another, and logged a model. */
async function seedTrainedRun(request: Parameters<typeof createRun>[0]) {
  const experimentId = await createExperiment(request);
  const runId = await createRun(request, { experimentId, name: 'trained', status: 'FINISHED', params: { lr: '0.01' } });
  const schema = JSON.stringify({ mlflow_colspec: [{ type: 'double', name: 'sepal_length' }, { type: 'double', name: 'sepal_width' }, { type: 'long', name: 'label' }] });
  await logInputs(request, runId, [
    { name: 'iris-train', digest: '7c1e2a9f', source: JSON.stringify({ uri: 's3://datasets/iris/train.parquet' }), sourceType: 's3', schema, profile: JSON.stringify({ num_rows: 120, num_elements: 480 }), context: 'training' },
    { name: 'iris-eval', digest: '0b55d1c3', source: 'https://example.org/iris/eval.csv', sourceType: 'http', schema, context: 'eval' },
  ]);
  await logModel(request, {
    experimentId,
    runId,
    name: 'iris-classifier',
    params: { C: '0.5', max_iter: '200' },
    tags: { stage: 'candidate' },
    files: { MLmodel: mlmodel, 'requirements.txt': 'scikit-learn==1.5.0\n', 'model/model.pkl': Buffer.from([0x80, 0x04, 0x95, 0x00]) },
    metrics: { accuracy: 0.947, f1: 0.941 },
    dataset: { name: 'iris-eval', digest: '0b55d1c3' },
    output: true,
  });
  return runId;
}

test('a run shows its datasets on Overview and its logged model, with browsable files, on Models', async ({ page, request }) => {
  const runId = await seedTrainedRun(request);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(`/runs/${runId}`);

  const datasets = page.getByRole('list', { name: 'Datasets' });
  const train = datasets.getByRole('listitem', { name: 'Dataset iris-train' });
  await expect(train.getByText('training')).toBeVisible();
  await expect(train.getByText('s3://datasets/iris/train.parquet')).toBeVisible();
  await expect(datasets.getByRole('listitem', { name: 'Dataset iris-eval' }).getByText('https://example.org/iris/eval.csv')).toBeVisible();
  await train.getByRole('button', { name: 'Show schema of iris-train' }).click();
  await expect(page.getByLabel('Schema of iris-train', { exact: true })).toContainText('"name": "sepal_length"');
  await page.getByRole('heading', { name: 'Datasets' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/shots/run-models-overview.png', fullPage: true });

  const tab = page.getByRole('tab', { name: /^Models/ });
  await expect(tab).toContainText('1');
  await tab.click();
  const card = page.getByRole('article', { name: 'iris-classifier' });
  await expect(card.getByText('Ready')).toBeVisible();
  await expect(card.getByRole('table', { name: 'Params' }).getByRole('row', { name: 'C 0.5' })).toBeVisible();
  await expect(card.getByRole('table', { name: 'Metrics' }).getByRole('row', { name: /accuracy\s+0.947\s+0\s+iris-eval@0b55d1c3/ })).toBeVisible();

  const files = card.getByRole('navigation', { name: 'Files of iris-classifier' });
  await files.getByRole('button', { name: 'MLmodel' }).click();
  await expect(card.getByLabel('Contents of MLmodel')).toContainText('loader_module: mlflow.sklearn');
  await files.getByRole('button', { name: 'model', exact: true }).click();
  await expect(files.getByRole('link', { name: 'Download model.pkl' })).toBeVisible();
  const download = page.waitForEvent('download');
  await files.getByRole('link', { name: 'Download requirements.txt' }).click();
  expect((await download).suggestedFilename()).toBe('requirements.txt');
  await page.screenshot({ path: '/tmp/shots/run-models-models-tab.png', fullPage: true });
});

test('the Models tab is reachable and its files operable with the keyboard alone', async ({ page, request }) => {
  const runId = await seedTrainedRun(request);
  await page.goto(`/runs/${runId}`);
  const overview = page.getByRole('tab', { name: 'Overview' });
  await tabTo(page, overview);
  const models = page.getByRole('tab', { name: /^Models/ });
  for (let i = 0; i < 5 && !(await models.evaluate((el) => el === document.activeElement)); i += 1) await page.keyboard.press('ArrowRight');
  await expect(models).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(models).toHaveAttribute('aria-selected', 'true');

  const card = page.getByRole('article', { name: 'iris-classifier' });
  const files = card.getByRole('navigation', { name: 'Files of iris-classifier' });
  const folder = files.getByRole('button', { name: 'model', exact: true });
  await tabTo(page, folder);
  await page.keyboard.press('Enter');
  await expect(folder).toHaveAttribute('aria-expanded', 'true');
  const mlmodelButton = files.getByRole('button', { name: 'MLmodel' });
  await tabTo(page, mlmodelButton);
  await page.keyboard.press('Enter');
  await expect(card.getByLabel('Contents of MLmodel')).toContainText('sklearn_version: 1.5.0');
  await page.keyboard.press('Tab');
  await expect(files.getByRole('link', { name: 'Download MLmodel' })).toBeFocused();
});
