import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, seedRun } from '../../../test-support/seed.js';
import { startTestServer, type WebTestServer } from '../../../test-support/server.js';
import { ML } from '../../../../server/test-support/backends.js';

const server = startTestServer();

// Seeding through MLflow's API, as a training script's mlflow calls would.
async function send(srv: WebTestServer, method: 'POST' | 'PATCH', url: string, payload: object) {
  const res = await srv.app.inject({ method, url, payload });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json<Record<string, any>>();
}

/** Links dataset inputs to a run, as `mlflow.log_input(dataset, context=…)` does. */
async function logInputs(srv: WebTestServer, runId: string, datasets: Array<{ name: string; digest?: string; context?: string }>): Promise<void> {
  await send(srv, 'POST', `${ML}/runs/log-inputs`, {
    run_id: runId,
    datasets: datasets.map((d, i) => ({
      tags: d.context ? [{ key: 'mlflow.data.context', value: d.context }] : [],
      dataset: { name: d.name, digest: d.digest ?? `d${i}${d.name.length}`.slice(0, 36), source_type: 'local', source: `/data/${d.name}` },
    })),
  });
}

/** A logged model whose source run is `runId` (ready unless `status` says otherwise); returns its id. */
async function logModel(srv: WebTestServer, experimentId: string, runId: string, name: string, status: 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED' = 'LOGGED_MODEL_READY'): Promise<string> {
  const body = await send(srv, 'POST', `${ML}/logged-models`, { experiment_id: experimentId, name, source_run_id: runId });
  const modelId = String(body.model.info.model_id);
  if (status !== 'LOGGED_MODEL_PENDING') await send(srv, 'PATCH', `${ML}/logged-models/${modelId}`, { status });
  return modelId;
}

const XSS = '<img src=x onerror="window.pwned=1">';
// A model's name may hold no quote, dot, slash, colon or percent sign.
const MODEL_XSS = '<img src=x onerror=window[1]=1>';
let experimentId = '';
const runIds: Record<string, string> = {};
beforeAll(async () => {
  experimentId = await createExperiment(server(), 'datasets-and-models');
  const t0 = Date.UTC(2026, 0, 1);
  for (const [i, name] of ['alpha', 'bravo', 'charlie'].entries()) runIds[name] = await seedRun(server(), experimentId, { name, startTime: t0 + i * 60_000 });
  await logInputs(server(), runIds.alpha!, [
    { name: 'mnist-train', digest: 'abc123', context: 'training' },
    { name: 'mnist-test', digest: 'def456', context: 'evaluation' },
    { name: 'extra-1' },
    { name: 'extra-2' },
  ]);
  await logInputs(server(), runIds.bravo!, [{ name: 'imagenet', context: 'training' }, { name: XSS }]);
  await logModel(server(), experimentId, runIds.alpha!, 'scorer');
  await logModel(server(), experimentId, runIds.alpha!, 'draft', 'LOGGED_MODEL_PENDING');
  await logModel(server(), experimentId, runIds.bravo!, MODEL_XSS, 'LOGGED_MODEL_UPLOAD_FAILED');
});

const q = (search: Record<string, unknown>) => '?' + Object.entries(search).map(([k, v]) => `${k}=${encodeURIComponent(JSON.stringify(v))}`).join('&');
const runsTable = () => screen.findByRole('table', { name: 'Runs' });
const row = async (name: string) => (await within(await runsTable()).findByRole('link', { name })).closest('tr')!;
const shownNames = async () => within(await runsTable()).getAllByRole('link').map((a) => a.textContent).filter((t) => /^(alpha|bravo|charlie)$/.test(t ?? ''));

describe('the Datasets and Models columns', () => {
  it('are off by default, and the column picker adds them to the URL', async () => {
    const { user, location } = renderApp(`/experiments/${experimentId}`);
    await screen.findByText('3 runs');
    const headers = () => within(screen.getByRole('table', { name: 'Runs' })).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers()).not.toContain('Datasets');
    await user.click(screen.getByRole('button', { name: 'Columns' }));
    const picker = await screen.findByRole('dialog', { name: 'Columns' });
    await user.click(within(picker).getByRole('checkbox', { name: 'Datasets' }));
    await user.click(within(picker).getByRole('checkbox', { name: 'Models' }));
    await waitFor(() => expect(location().search.cols).toEqual(expect.arrayContaining(['datasets', 'models'])));
    expect(headers()).toEqual(expect.arrayContaining(['Datasets', 'Models']));
  });

  it('show names as chips, at most three then "+N more", and model status in words', async () => {
    renderApp(`/experiments/${experimentId}${q({ cols: ['name', 'datasets', 'models'] })}`);
    const alpha = await row('alpha');
    expect(within(alpha).getByText('mnist-train')).toHaveAttribute('title', 'mnist-train · digest abc123 · training');
    expect(within(alpha).getByText('mnist-test')).toBeInTheDocument();
    expect(within(alpha).getByText('extra-1')).toBeInTheDocument();
    expect(within(alpha).queryByText('extra-2')).not.toBeInTheDocument();
    expect(within(alpha).getByText('+1 more')).toBeInTheDocument();
    expect(within(alpha).getByText(/and 1 more: extra-2/)).toBeInTheDocument();

    const scorer = within(alpha).getByRole('link', { name: 'scorer' });
    expect(scorer).toHaveAttribute('href', `/runs/${runIds.alpha}?tab=models`);
    expect(within(alpha).getByRole('link', { name: 'draft (pending)' })).toHaveAttribute('title', 'draft · Pending');

    // charlie has neither.
    const charlie = await row('charlie');
    expect(within(charlie).getAllByLabelText('none')).toHaveLength(2);
  });

  it('keep a dataset or model name that looks like HTML as text', async () => {
    renderApp(`/experiments/${experimentId}${q({ cols: ['name', 'datasets', 'models'] })}`);
    const bravo = await row('bravo');
    expect(within(bravo).getByText(XSS, { selector: 'span' })).toBeInTheDocument();
    expect(within(bravo).getByRole('link', { name: `${MODEL_XSS} (upload failed)` })).toBeInTheDocument();
    expect(bravo.querySelector('img')).toBeNull();
    expect((window as { pwned?: number }).pwned).toBeUndefined();
  });
});

describe('the dataset filter', () => {
  it('narrows the runs from "Add filter", and survives a reload', async () => {
    const first = renderApp(`/experiments/${experimentId}`);
    const { user } = first;
    await screen.findByText('3 runs');
    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    const form = await screen.findByRole('dialog', { name: 'Add filter' });
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Field' }), 'Dataset');
    expect(within(form).getAllByRole('option').filter((o) => (o as HTMLOptionElement).selected).map((o) => o.textContent)).toEqual(['Dataset', 'is']);
    await user.type(within(form).getByRole('combobox', { name: 'Value' }), 'mnist-train');
    await user.click(within(form).getByRole('button', { name: 'Apply filter' }));
    expect(await screen.findByText('1 match')).toBeInTheDocument();
    expect(await shownNames()).toEqual(['alpha']);
    expect(screen.getByRole('button', { name: 'Remove filter Dataset is mnist-train' })).toBeInTheDocument();
    const url = first.location().href;
    expect(first.location().search).toEqual({ filters: [{ field: 'dataset', op: '=', value: 'mnist-train' }] });
    first.unmount();

    // A reload: the same address in a fresh app.
    renderApp(url);
    expect(await screen.findByRole('button', { name: 'Remove filter Dataset is mnist-train' })).toBeInTheDocument();
    expect(await screen.findByText('1 match')).toBeInTheDocument();
    expect(await shownNames()).toEqual(['alpha']);
  });

  it('matches part of a name with "contains"', async () => {
    const { user } = renderApp(`/experiments/${experimentId}`);
    await screen.findByText('3 runs');
    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    const form = await screen.findByRole('dialog', { name: 'Add filter' });
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Field' }), 'Dataset');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Operator' }), 'contains');
    await user.type(within(form).getByRole('combobox', { name: 'Value' }), 'NET');
    await user.click(within(form).getByRole('button', { name: 'Apply filter' }));
    expect(await screen.findByRole('button', { name: 'Remove filter Dataset contains NET' })).toBeInTheDocument();
    expect(await screen.findByText('1 match')).toBeInTheDocument();
    expect(await shownNames()).toEqual(['bravo']);
  });

  it('takes datasets.name in the advanced filter', async () => {
    const { user, location } = renderApp(`/experiments/${experimentId}`);
    await screen.findByText('3 runs');
    await user.click(screen.getByRole('button', { name: 'Advanced filter' }));
    await user.type(screen.getByRole('textbox', { name: /Filter expression/ }), "datasets.name IN ('imagenet', 'mnist-test')");
    await user.click(screen.getByRole('button', { name: 'Apply expression' }));
    expect(await screen.findByText('2 matches')).toBeInTheDocument();
    expect(await shownNames()).toEqual(['bravo', 'alpha']);
    expect(location().search).toEqual({ filter: "datasets.name IN ('imagenet', 'mnist-test')" });
  });
});
