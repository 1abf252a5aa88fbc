import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, seedRun } from '../../../test-support/seed.js';
import { startTestServer, type WebTestServer } from '../../../test-support/server.js';
import { MODEL_PAGE_SIZE } from '../hooks/use-experiment-models.js';
import { ML } from '../../../../server/test-support/backends.js';

const server = startTestServer();

// Seeding through MLflow's API, as a training script's mlflow calls would.
async function send(srv: WebTestServer, method: 'POST' | 'PATCH', url: string, payload: object) {
  const res = await srv.app.inject({ method, url, payload });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json<Record<string, any>>();
}

type SeedModelStatus = 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';

/** A logged model of `sourceRunId`, as MLflow 3's log_model makes it (created pending, then finalized); returns its id. */
async function seedModel(srv: WebTestServer, experimentId: string, model: { name: string; sourceRunId?: string; status?: SeedModelStatus }): Promise<string> {
  const body = await send(srv, 'POST', `${ML}/logged-models`, { experiment_id: experimentId, name: model.name, ...(model.sourceRunId ? { source_run_id: model.sourceRunId } : {}) });
  const modelId = String(body.model.info.model_id);
  const status = model.status ?? 'LOGGED_MODEL_READY';
  if (status !== 'LOGGED_MODEL_PENDING') await send(srv, 'PATCH', `${ML}/logged-models/${modelId}`, { status });
  return modelId;
}

/** Logs metric values of a run against one of its models (and a dataset, when named), as `mlflow.log_metric(model_id=…)` does. */
async function logModelMetrics(srv: WebTestServer, runId: string, modelId: string, metrics: Record<string, number>, dataset?: { name: string; digest: string }) {
  const timestamp = Date.now();
  await send(srv, 'POST', `${ML}/runs/log-batch`, {
    run_id: runId,
    metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp, step: 0, model_id: modelId, ...(dataset ? { dataset_name: dataset.name, dataset_digest: dataset.digest } : {}) })),
  });
}

// A model's name may hold no quote, dot, slash, colon or percent sign.
const XSS = '<img src=x onerror=window[1]=1>';
let experimentId = '';
let emptyId = '';
let manyId = '';
const runIds: Record<string, string> = {};
beforeAll(async () => {
  experimentId = await createExperiment(server(), 'models-exp');
  runIds.a = await seedRun(server(), experimentId, { name: 'train-a' });
  runIds.b = await seedRun(server(), experimentId, { name: 'train-b' });
  const scorer = await seedModel(server(), experimentId, { name: 'scorer', sourceRunId: runIds.a });
  await logModelMetrics(server(), runIds.a, scorer, { auc: 0.7 }, { name: 'eval-set', digest: 'e1' });
  const ranker = await seedModel(server(), experimentId, { name: 'ranker', sourceRunId: runIds.b });
  await logModelMetrics(server(), runIds.b, ranker, { auc: 0.9, loss: 0.25 });
  await seedModel(server(), experimentId, { name: 'zeta', sourceRunId: runIds.a, status: 'LOGGED_MODEL_PENDING' });
  await seedModel(server(), experimentId, { name: XSS, status: 'LOGGED_MODEL_UPLOAD_FAILED' });

  emptyId = await createExperiment(server(), 'no-models');
  manyId = await createExperiment(server(), 'many-models');
  const run = await seedRun(server(), manyId, { name: 'sweep' });
  for (let i = 0; i < MODEL_PAGE_SIZE + 5; i++) await seedModel(server(), manyId, { name: `m-${String(i).padStart(3, '0')}`, sourceRunId: run });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const modelsTable = () => screen.findByRole('table', { name: 'Logged models' });
/** The model names, top to bottom (the first cell of each body row). */
const modelNames = async () => within(await modelsTable()).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[0]!.textContent);
const header = async (name: RegExp) => within(await modelsTable()).getByRole('columnheader', { name });

describe("the experiment's Models tab", () => {
  it('opens from the Runs tab, and lists models with status, source run, created and metrics', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const { user, location } = renderApp(`/experiments/${experimentId}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'models-exp' })).toBeInTheDocument();
    const tabs = screen.getByRole('tablist', { name: 'Experiment sections' });
    expect(within(tabs).getByRole('tab', { name: 'Runs' })).toHaveAttribute('aria-selected', 'true');
    await user.click(within(tabs).getByRole('tab', { name: 'Models' }));
    await waitFor(() => expect(location().pathname).toBe(`/experiments/${experimentId}/models`));
    expect(within(tabs).getByRole('tab', { name: 'Models' })).toHaveAttribute('aria-selected', 'true');

    const table = await modelsTable();
    const headers = within(table).getAllByRole('columnheader');
    const columns = [/^Name/, /^Status/, /^Source run/, /^Created/, /^auc/, /^loss/];
    columns.forEach((name, i) => expect(headers[i]).toBe(within(table).getByRole('columnheader', { name })));
    expect(headers).toHaveLength(columns.length);
    // Newest first by default.
    expect(await header(/^Created/)).toHaveAttribute('aria-sort', 'descending');
    expect(await modelNames()).toEqual([XSS, 'zeta', 'ranker', 'scorer']);

    const scorer = within(table).getByRole('cell', { name: 'scorer' }).closest('tr')!;
    expect(within(scorer).getByText('Ready')).toBeInTheDocument();
    expect(await within(scorer).findByRole('link', { name: 'train-a' })).toHaveAttribute('href', `/runs/${runIds.a}`);
    expect(within(scorer).getByText('0.7')).toBeInTheDocument();
    expect(within(scorer).getByText('eval-set')).toBeInTheDocument();
    const zeta = within(table).getByRole('cell', { name: 'zeta' }).closest('tr')!;
    expect(within(zeta).getByText('Pending')).toBeInTheDocument();
    expect(within(zeta).getByRole('link', { name: 'train-a' })).toBeInTheDocument();
    expect(await within(table).findByRole('link', { name: 'train-b' })).toBeInTheDocument();

    // The source runs' names came from one run search by id, not one request per row.
    const byIds = fetchSpy.mock.calls.filter(([, init]) => typeof init?.body === 'string' && init.body.includes('"runIds"'));
    expect(byIds).toHaveLength(1);
  });

  it('keeps a model name that looks like HTML as text', async () => {
    renderApp(`/experiments/${experimentId}/models`);
    const table = await modelsTable();
    const row = within(table).getByRole('cell', { name: XSS }).closest('tr')!;
    expect(row.querySelector('img')).toBeNull();
    expect(within(row).getByText('Upload failed')).toBeInTheDocument();
    expect(within(row).getByText('none')).toBeInTheDocument();
  });

  it('sorts on the server by name and by a metric, in the URL', async () => {
    const { user, location } = renderApp(`/experiments/${experimentId}/models`);
    await modelsTable();
    await user.click(within(await header(/^Name/)).getByRole('button', { name: 'Name' }));
    await waitFor(() => expect(location().search).toEqual({ sort: 'name', desc: false }));
    expect(await header(/^Name/)).toHaveAttribute('aria-sort', 'ascending');
    expect(await header(/^Created/)).toHaveAttribute('aria-sort', 'none');
    await waitFor(async () => expect(await modelNames()).toEqual([XSS, 'ranker', 'scorer', 'zeta']));
    await user.click(within(await header(/^Name/)).getByRole('button', { name: 'Name' }));
    await waitFor(async () => expect(await modelNames()).toEqual(['zeta', 'scorer', 'ranker', XSS]));
    expect(await header(/^Name/)).toHaveAttribute('aria-sort', 'descending');

    await user.click(within(await header(/^auc/)).getByRole('button', { name: 'auc metric' }));
    await waitFor(() => expect(location().search).toEqual({ sort: 'metric:auc', desc: false }));
    expect(await header(/^auc/)).toHaveAttribute('aria-sort', 'ascending');
    await waitFor(async () => expect((await modelNames()).slice(0, 2)).toEqual(['scorer', 'ranker']));
    await user.click(within(await header(/^auc/)).getByRole('button', { name: 'auc metric' }));
    await waitFor(async () => expect((await modelNames()).slice(0, 2)).toEqual(['ranker', 'scorer']));
    expect(await header(/^auc/)).toHaveAttribute('aria-sort', 'descending');
  });

  it('reads its order from a link', async () => {
    renderApp(`/experiments/${experimentId}/models?sort=%22status%22&desc=false`);
    expect(await header(/^Status/)).toHaveAttribute('aria-sort', 'ascending');
    await waitFor(async () => expect((await modelNames())[0]).toBe('zeta'));
  });

  it('loads the next page with "Load more"', async () => {
    const { user } = renderApp(`/experiments/${manyId}/models`);
    expect(await screen.findByText(`${MODEL_PAGE_SIZE} models shown, more to load`)).toBeInTheDocument();
    expect(await modelNames()).toHaveLength(MODEL_PAGE_SIZE);
    await user.click(screen.getByRole('button', { name: 'Load more models' }));
    expect(await screen.findByText(`${MODEL_PAGE_SIZE + 5} models`)).toBeInTheDocument();
    expect(await modelNames()).toHaveLength(MODEL_PAGE_SIZE + 5);
    expect((await modelNames()).at(-1)).toBe('m-000');
    expect(screen.queryByRole('button', { name: 'Load more models' })).not.toBeInTheDocument();
  });

  it('says when the experiment has no models', async () => {
    renderApp(`/experiments/${emptyId}/models`);
    expect(await screen.findByText('No logged models in this experiment yet')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Logged models' })).not.toBeInTheDocument();
  });
});
