import { screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointPath } from '../../../../shared/api/endpoint.js';
import { endpoints } from '../../../../shared/api/index.js';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, seedRun } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';
import { logDatasets, seedModel } from '../test-support/seed-io.js';
import { JSON_BLOCK_LIMIT, prettyJson } from './json-block.js';

const server = startTestServer();
const xss = '<img src=x onerror="window.__pwned=1">';
/** Model names may not hold quotes or dots (MLflow's rule). */
const xssName = '<img src=x onerror=alert(1)>';

let experimentId = '';
beforeAll(async () => {
  experimentId = await createExperiment(server(), 'run-io');
});

const modelsTab = () => screen.findByRole('tab', { name: /^Models/ });

describe('the run page: datasets', () => {
  it('shows each dataset with its context and source, and its schema and profile on demand', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'with-data' });
    await logDatasets(server(), runId, [
      { name: 'eval-set', digest: 'abc123', context: 'eval', sourceType: 's3', source: '{"uri": "s3://bucket/eval.parquet"}', schema: '{"mlflow_colspec":[{"name":"x","type":"double"}]}', profile: '{"num_rows": 42}' },
      { name: 'train-set', digest: 'def456', context: 'training', source: 'plain text source' },
    ]);
    const { user } = renderApp(`/runs/${runId}`);
    const list = await screen.findByRole('list', { name: 'Datasets' });
    const evalSet = within(list).getByRole('listitem', { name: 'Dataset eval-set' });
    expect(within(evalSet).getByRole('heading', { level: 3, name: 'eval-set' })).toBeInTheDocument();
    expect(within(evalSet).getByText('eval')).toBeInTheDocument();
    expect(within(evalSet).getByText('abc123')).toBeInTheDocument();
    expect(within(evalSet).getByText('s3://bucket/eval.parquet')).toHaveAttribute('title', 's3://bucket/eval.parquet');
    const train = within(list).getByRole('listitem', { name: 'Dataset train-set' });
    expect(within(train).getByText('training')).toBeInTheDocument();
    expect(within(train).getByText('plain text source')).toBeInTheDocument();
    expect(within(train).queryByRole('button', { name: /schema/ })).not.toBeInTheDocument();

    expect(screen.queryByLabelText('Schema of eval-set')).not.toBeInTheDocument();
    const show = within(evalSet).getByRole('button', { name: 'Show schema of eval-set' });
    await user.click(show);
    expect(show).toHaveAttribute('aria-expanded', 'true');
    expect(show).toHaveAccessibleName('Hide schema of eval-set');
    expect(screen.getByLabelText('Schema of eval-set')).toHaveTextContent('"name": "x"');
    await user.click(within(evalSet).getByRole('button', { name: 'Show profile of eval-set' }));
    expect(screen.getByLabelText('Profile of eval-set')).toHaveTextContent('"num_rows": 42');
    expect(screen.queryByLabelText('Schema of eval-set')).not.toBeInTheDocument();
  });

  it('has no Datasets section when the run has none', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'no-data', params: { lr: '0.1' } });
    renderApp(`/runs/${runId}`);
    expect(await screen.findByRole('table', { name: 'Properties' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Datasets' })).not.toBeInTheDocument();
  });

  it('shows the first part of a very large schema and says it is truncated', () => {
    const big = JSON.stringify({ columns: Array.from({ length: 20_000 }, (_, i) => ({ name: `column_${i}`, type: 'double' })) });
    const { shown, truncated, total } = prettyJson(big);
    expect(truncated).toBe(true);
    expect(shown).toHaveLength(JSON_BLOCK_LIMIT);
    expect(total).toBeGreaterThan(JSON_BLOCK_LIMIT);
    expect(prettyJson('not json')).toEqual({ shown: 'not json', total: 8, truncated: false });
  });
});

describe('the run page: models', () => {
  it('lists a logged model with its status, params, tags and metrics, and browses its files', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'with-model' });
    await seedModel(server(), {
      experimentId,
      runId,
      name: 'classifier',
      modelType: 'sklearn',
      params: { C: '0.5' },
      tags: { stage: 'candidate' },
      files: { MLmodel: 'artifact_path: model\nflavors:\n  sklearn: {}\n', 'data/model.pkl': 'binary', 'requirements.txt': 'scikit-learn==1.5\n' },
      metrics: [{ key: 'accuracy', value: 0.93, step: 2, dataset: { name: 'eval-set', digest: 'abc123' } }],
      asOutput: true,
    });
    const { user } = renderApp(`/runs/${runId}`);
    const tab = await modelsTab();
    expect(await within(tab).findByText('1')).toBeInTheDocument();
    await user.click(tab);
    const card = await screen.findByRole('article', { name: 'classifier' });
    expect(within(card).getByText('Ready')).toBeInTheDocument();
    expect(within(card).getByText('sklearn')).toBeInTheDocument();
    expect(within(card).getByRole('button', { name: 'Copy model ID' })).toBeInTheDocument();
    expect(within(within(card).getByRole('table', { name: 'Params' })).getByRole('row', { name: 'C 0.5' })).toBeInTheDocument();
    expect(within(within(card).getByRole('list', { name: 'Tags' })).getByText('stage: candidate')).toBeInTheDocument();
    expect(within(within(card).getByRole('table', { name: 'Metrics' })).getByRole('row', { name: 'accuracy 0.93 2 eval-set@abc123' })).toBeInTheDocument();

    const files = within(card).getByRole('navigation', { name: 'Files of classifier' });
    const folder = await within(files).findByRole('button', { name: 'data' });
    await user.click(folder);
    expect(folder).toHaveAttribute('aria-expanded', 'true');
    expect(await within(files).findByRole('button', { name: 'model.pkl' })).toBeInTheDocument();
    await user.click(within(files).getByRole('button', { name: 'model.pkl' }));
    expect(await within(card).findByText('No preview for this type of file; download it to open it.')).toBeInTheDocument();

    await user.click(within(files).getByRole('button', { name: 'MLmodel' }));
    expect(await within(card).findByLabelText('Contents of MLmodel')).toHaveTextContent('flavors: sklearn: {}');
    const download = within(files).getByRole('link', { name: 'Download MLmodel' });
    expect(download.getAttribute('href')).toMatch(new RegExp(`/models/m-[0-9a-f]{32}/artifacts/MLmodel$`));
    const res = await fetch(download.getAttribute('href')!);
    expect(await res.text()).toContain('artifact_path: model');
    expect(within(files).getByRole('link', { name: 'Download model.pkl' }).getAttribute('href')).toMatch(/artifacts\/data\/model\.pkl$/);
  });

  it('says when a model upload failed, and lists a model linked only as an output', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'failed-upload' });
    await seedModel(server(), { experimentId, runId, name: 'broken', status: 'LOGGED_MODEL_UPLOAD_FAILED' });
    const other = await seedRun(server(), experimentId, { name: 'other-run' });
    const linked = await seedModel(server(), { experimentId, runId: other, name: 'from-elsewhere' });
    await server().post(endpointPath(endpoints.mlflow.models.logOutputs), { run_id: runId, models: [{ model_id: linked, step: 1 }] });
    const { user } = renderApp(`/runs/${runId}`);
    await user.click(await modelsTab());
    const broken = await screen.findByRole('article', { name: 'broken' });
    expect(within(broken).getByText('Upload failed')).toBeInTheDocument();
    expect(await within(broken).findByText('No files')).toBeInTheDocument();
    expect(await screen.findByRole('article', { name: 'from-elsewhere' })).toBeInTheDocument();
    expect(within(await modelsTab()).getByText('2')).toBeInTheDocument();
  });

  it('re-reads a model still uploading until it is ready', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'uploading' });
    const modelId = await seedModel(server(), { experimentId, runId, name: 'in-flight', status: 'LOGGED_MODEL_PENDING' });
    const { user } = renderApp(`/runs/${runId}`);
    await user.click(await modelsTab());
    const card = await screen.findByRole('article', { name: 'in-flight' });
    expect(within(card).getByText('Pending')).toBeInTheDocument();
    await server().app.inject({ method: 'PATCH', url: endpointPath(endpoints.mlflow.models.finalize, { model_id: modelId }), payload: { status: 'LOGGED_MODEL_READY' } });
    expect(await within(card).findByText('Ready', {}, { timeout: 5_000 })).toBeInTheDocument();
  });

  it('says when a run has no models', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'no-models' });
    const { user } = renderApp(`/runs/${runId}`);
    await user.click(await modelsTab());
    expect(await screen.findByText('This run has logged no models.')).toBeInTheDocument();
  });
});

describe('the run page: user text stays text', () => {
  it('renders markup in dataset and model names, sources and tags as text', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'xss' });
    await logDatasets(server(), runId, [{ name: `data ${xss}`, source: `{"uri": "${xss.replaceAll('"', '\\"')}"}`, context: xss }]);
    await seedModel(server(), { experimentId, runId, name: `model ${xssName}`, tags: { note: xss }, params: { p: xss } });
    const { user } = renderApp(`/runs/${runId}`);
    const list = await screen.findByRole('list', { name: 'Datasets' });
    expect(within(list).getByRole('heading', { level: 3, name: `data ${xss}` })).toBeInTheDocument();
    expect(within(list).getAllByText(xss)).toHaveLength(2);
    await user.click(await modelsTab());
    const card = await screen.findByRole('article', { name: `model ${xssName}` });
    expect(within(card).getByText(`note: ${xss}`)).toBeInTheDocument();
    expect(document.querySelector('img[src="x"]')).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });
});
