import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, logHistory, seedRun } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';

const server = startTestServer();

let experimentId = '';
const runIds: Record<string, string> = {};
beforeAll(async () => {
  experimentId = await createExperiment(server(), 'explorer');
  const t0 = Date.UTC(2026, 0, 1);
  const seeds = [
    { name: 'alpha', startTime: t0, params: { lr: '0.1', optimizer: 'sgd' }, metrics: { loss: 0.9, acc: 0.5 }, tags: { team: 'vision' } },
    { name: 'bravo', startTime: t0 + 60_000, params: { lr: '0.01', optimizer: 'adam' }, metrics: { loss: 0.4, acc: 0.8 }, tags: { team: 'nlp' } },
    { name: 'charlie', startTime: t0 + 120_000, params: { lr: '0.001', optimizer: 'adam' }, metrics: { loss: 0.2, acc: 0.9 }, tags: { team: 'vision' } },
  ];
  for (const seed of seeds) runIds[seed.name] = await seedRun(server(), experimentId, seed);
  await seedRun(server(), experimentId, { name: 'alpha-child', parentRunId: runIds.alpha!, startTime: t0 + 1000 });
  await logHistory(server(), runIds.alpha!, 'loss', [1.2, 1.0, 0.9]);
  await logHistory(server(), runIds.bravo!, 'loss', [0.8, 0.5, 0.4]);
});

const q = (search: Record<string, unknown>) =>
  '?' + Object.entries(search).map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`).join('&');
const runsTable = () => screen.findByRole('table', { name: 'Runs' });
/** The run names in the table, top to bottom. */
const shownNames = async () => within(await runsTable()).getAllByRole('link').map((a) => a.textContent).filter((t) => /^(alpha|bravo|charlie)/.test(t ?? ''));
const header = (name: RegExp | string) => within(screen.getByRole('table', { name: 'Runs' })).getByRole('columnheader', { name });

describe('the run explorer reads its state from the URL', () => {
  it('shows the defaults: newest first, the default columns, top-level runs only', async () => {
    const { location } = renderApp(`/experiments/${experimentId}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'explorer' })).toBeInTheDocument();
    expect(await screen.findByText('3 runs')).toBeInTheDocument();
    expect(await shownNames()).toEqual(['charlie', 'bravo', 'alpha']);
    const headers = within(await runsTable()).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Select', 'Name', 'Status', 'Experiment', 'Submitter', 'Compute target', 'Created', 'Duration', 'Tags']);
    expect(header(/^Created/)).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getByRole('checkbox', { name: 'Flat list (child runs too)' })).not.toBeChecked();
    expect(location().search).toEqual({});
  });

  it('applies sort, columns and flat from a link, and repairs a field that does not parse', async () => {
    renderApp(`/experiments/${experimentId}${q({ sort: 'metric:loss', desc: false, cols: ['name', 'param:lr', 'metric:loss'], flat: 'maybe', q: 'vision' })}`);
    await screen.findByText('2 matches');
    expect(header(/^loss/)).toHaveAttribute('aria-sort', 'ascending');
    expect(within(await runsTable()).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Select', 'Name', 'lrproperty', 'lossmetric']);
    // `flat` did not parse: the default (top-level runs) stands, the other fields are kept.
    expect(screen.getByRole('checkbox', { name: 'Flat list (child runs too)' })).not.toBeChecked();
    expect(screen.getByRole('searchbox', { name: 'Search runs' })).toHaveValue('vision');
    await waitFor(async () => expect(await shownNames()).toEqual(['charlie', 'alpha']));
  });

  it('writes changes to the URL, leaving out what equals the defaults', async () => {
    const { user, location } = renderApp(`/experiments/${experimentId}`);
    await screen.findByText('3 runs');
    await user.click(within(header(/^Name/)).getByRole('button'));
    await waitFor(() => expect(location().search).toEqual({ sort: 'name', desc: false }));
    expect(await shownNames()).toEqual(['alpha', 'bravo', 'charlie']);
    await user.click(within(header(/^Name/)).getByRole('button'));
    await waitFor(() => expect(location().search).toEqual({ sort: 'name' }));
    await user.click(within(header(/^Created/)).getByRole('button'));
    await waitFor(() => expect(location().search).toEqual({}));

    await user.click(screen.getByRole('checkbox', { name: 'Flat list (child runs too)' }));
    await waitFor(() => expect(location().search).toEqual({ flat: true }));
    expect(await within(await runsTable()).findByRole('link', { name: 'alpha-child' })).toBeInTheDocument();
    expect(await screen.findByText('4 runs')).toBeInTheDocument();

    const resize = screen.getByRole('separator', { name: 'Resize Name column' });
    fireEvent.keyDown(resize, { key: 'ArrowRight' });
    await waitFor(() => expect(location().search).toMatchObject({ widths: { name: 280 } }));
  });
});

describe('finding runs', () => {
  it('searches the full text, and says when nothing matches', async () => {
    const { user, location } = renderApp(`/experiments/${experimentId}`);
    await screen.findByText('3 runs');
    await user.type(screen.getByRole('searchbox', { name: 'Search runs' }), 'bravo{Enter}');
    expect(await screen.findByText('1 match')).toBeInTheDocument();
    expect(location().search).toEqual({ q: 'bravo' });
    expect(await shownNames()).toEqual(['bravo']);

    await user.clear(screen.getByRole('searchbox', { name: 'Search runs' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search runs' }), 'nothing-like-this{Enter}');
    expect(await screen.findByText('No run matches these filters')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    expect(await screen.findByText('3 runs')).toBeInTheDocument();
  });

  it('adds and removes filter chips', async () => {
    const { user, location } = renderApp(`/experiments/${experimentId}`);
    await screen.findByText('3 runs');
    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    let form = await screen.findByRole('dialog', { name: 'Add filter' });
    await user.click(within(form).getByRole('button', { name: 'Apply filter' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('Choose which tag to filter on.');
    await user.type(within(form).getByRole('combobox', { name: 'Key' }), 'team');
    await user.click(within(form).getByRole('button', { name: 'Apply filter' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('Enter a value.');
    await user.type(within(form).getByRole('combobox', { name: 'Value' }), 'vision');
    await user.click(within(form).getByRole('button', { name: 'Apply filter' }));

    expect(await screen.findByText('2 matches')).toBeInTheDocument();
    expect(await shownNames()).toEqual(['charlie', 'alpha']);
    expect(location().search).toEqual({ filters: [{ field: 'tag', key: 'team', op: '=', value: 'vision' }] });

    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    form = await screen.findByRole('dialog', { name: 'Add filter' });
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Field' }), 'Metric');
    await user.type(within(form).getByRole('combobox', { name: 'Key' }), 'loss');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Operator' }), '<');
    await user.type(within(form).getByRole('combobox', { name: 'Value' }), 'low');
    await user.click(within(form).getByRole('button', { name: 'Apply filter' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('A metric is compared with a number.');
    await user.clear(within(form).getByRole('combobox', { name: 'Value' }));
    await user.type(within(form).getByRole('combobox', { name: 'Value' }), '0.5');
    await user.click(within(form).getByRole('button', { name: 'Apply filter' }));
    expect(await screen.findByText('1 match')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Remove filter team is vision' }));
    expect(await screen.findByText('2 matches')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Remove filter loss < 0.5' }));
    expect(await screen.findByText('3 runs')).toBeInTheDocument();
  });

  it('filters by status and experiment from the same form', async () => {
    const { user } = renderApp('/runs');
    await screen.findByRole('heading', { level: 1, name: 'All runs' });
    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    let form = await screen.findByRole('dialog', { name: 'Add filter' });
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Field' }), 'Experiment');
    await user.selectOptions(await within(form).findByRole('combobox', { name: 'Value' }), 'explorer');
    await user.click(within(form).getByRole('button', { name: 'Apply filter' }));
    expect(await screen.findByRole('button', { name: 'Remove filter Experiment is explorer' })).toBeInTheDocument();
    expect(await screen.findByText('3 matches')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    form = await screen.findByRole('dialog', { name: 'Add filter' });
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Field' }), 'Status');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Operator' }), 'is not');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Value' }), 'Completed');
    await user.click(within(form).getByRole('button', { name: 'Apply filter' }));
    expect(await screen.findByRole('button', { name: 'Remove filter Status is not Completed' })).toBeInTheDocument();
    expect(await screen.findByText('No run matches these filters')).toBeInTheDocument();
  });

  it('takes an advanced filter, and shows the server’s message when it cannot be read', async () => {
    const { user } = renderApp(`/experiments/${experimentId}`);
    await screen.findByText('3 runs');
    await user.click(screen.getByRole('button', { name: 'Advanced filter' }));
    const box = screen.getByRole('textbox', { name: /Filter expression/ });
    await user.type(box, 'metrics.acc >= 0.8');
    await user.click(screen.getByRole('button', { name: 'Apply expression' }));
    expect(await screen.findByText('2 matches')).toBeInTheDocument();

    await user.clear(box);
    await user.type(box, 'metrics.acc >>> 1');
    await user.click(screen.getByRole('button', { name: 'Apply expression' }));
    expect(await screen.findByText('The filter cannot be read')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(/.+/);
    expect(box).toHaveAttribute('aria-invalid', 'true');
    await user.click(screen.getByRole('button', { name: 'Clear expression' }));
    expect(await screen.findByText('3 runs')).toBeInTheDocument();
  });
});

describe('columns, selection and charts', () => {
  it('adds, moves and removes columns with the column picker', async () => {
    const { user, location } = renderApp(`/experiments/${experimentId}${q({ cols: ['name', 'status'] })}`);
    await screen.findByText('3 runs');
    await user.click(screen.getByRole('button', { name: 'Columns' }));
    const picker = await screen.findByRole('dialog', { name: 'Columns' });
    await user.type(within(picker).getByRole('searchbox', { name: 'Find a column' }), 'lr');
    await user.click(await within(picker).findByRole('checkbox', { name: 'lr (property)' }));
    await waitFor(() => expect(location().search).toEqual({ cols: ['name', 'status', 'param:lr'] }));
    expect(await within(await runsTable()).findByText('0.01')).toBeInTheDocument();

    await user.click(within(picker).getByRole('button', { name: 'Move lr (property) left' }));
    await waitFor(() => expect(location().search).toEqual({ cols: ['name', 'param:lr', 'status'] }));
    await user.click(within(picker).getByRole('checkbox', { name: 'Status' }));
    await waitFor(() => expect(location().search).toEqual({ cols: ['name', 'param:lr'] }));
    await user.clear(within(picker).getByRole('searchbox', { name: 'Find a column' }));
    await user.type(within(picker).getByRole('searchbox', { name: 'Find a column' }), 'zzz');
    expect(within(picker).getByText('No other columns match “zzz”.')).toBeInTheDocument();
  });

  it('selects runs and compares them', async () => {
    const { user, location } = renderApp(`/experiments/${experimentId}`);
    await screen.findByText('3 runs');
    await user.click(screen.getByRole('checkbox', { name: 'Select alpha' }));
    expect(await screen.findByText('Select another run to compare')).toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: 'Select bravo' }));
    await user.click(await screen.findByRole('link', { name: 'Compare 2 runs' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Compare 2 runs' })).toBeInTheDocument();
    expect(location().pathname).toBe('/compare');
  });

  it('clears a selection', async () => {
    const { user } = renderApp(`/experiments/${experimentId}`);
    await screen.findByText('3 runs');
    await user.click(screen.getByRole('checkbox', { name: 'Select alpha' }));
    await user.click(await screen.findByRole('button', { name: 'Clear selection' }));
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'Select alpha' })).not.toBeChecked());
    expect(screen.queryByRole('button', { name: 'Clear selection' })).not.toBeInTheDocument();
  });

  it('adds chart panels of every kind above the table, and arranges them', async () => {
    const { user, location } = renderApp(`/experiments/${experimentId}`);
    await screen.findByText('3 runs');
    const addChart = async (fill: (dialog: HTMLElement) => Promise<void>) => {
      await user.click(screen.getByRole('button', { name: 'Add chart' }));
      const dialog = await screen.findByRole('dialog', { name: 'Add chart' });
      await fill(dialog);
      await user.click(within(dialog).getByRole('button', { name: 'Add chart' }));
      await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add chart' })).not.toBeInTheDocument());
    };

    await user.click(screen.getByRole('button', { name: 'Add chart' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add chart' });
    await user.click(within(dialog).getByRole('button', { name: 'Add chart' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Choose a metric.');
    await user.selectOptions(await within(dialog).findByRole('combobox', { name: 'Metric' }), await within(dialog).findByRole('option', { name: 'loss' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add chart' }));
    const line = await screen.findByRole('figure', { name: 'loss over step' });
    // recharts draws into the sized box the test layout gives it; its legend names the plotted runs.
    await waitFor(() => expect([...line.querySelectorAll('.recharts-legend-item-text')].map((e) => e.textContent).sort()).toEqual(['alpha', 'bravo', 'charlie']));

    await user.click(within(line).getByRole('checkbox', { name: 'Log scale' }));
    await waitFor(() => expect(location().search).toMatchObject({ charts: [{ kind: 'line', metric: 'loss', logScale: true }] }));

    await addChart(async (d) => {
      await user.selectOptions(within(d).getByRole('combobox', { name: 'Chart type' }), 'Bar');
      await user.selectOptions(within(d).getByRole('combobox', { name: 'Metric' }), await within(d).findByRole('option', { name: 'acc' }));
      await user.selectOptions(within(d).getByRole('combobox', { name: 'Value per run' }), 'Maximum');
    });
    expect(await screen.findByRole('figure', { name: 'acc (max)' })).toBeInTheDocument();

    await addChart(async (d) => {
      await user.selectOptions(within(d).getByRole('combobox', { name: 'Chart type' }), 'Scatter');
      await within(d).findAllByRole('option', { name: 'lr (property)' });
      await user.selectOptions(within(d).getByRole('combobox', { name: 'X axis' }), 'lr (property)');
      await user.selectOptions(within(d).getByRole('combobox', { name: 'Y axis' }), 'acc (metric)');
    });
    expect(await screen.findByRole('figure', { name: 'acc against lr' })).toBeInTheDocument();

    await addChart(async (d) => {
      await user.selectOptions(within(d).getByRole('combobox', { name: 'Chart type' }), 'Parallel coordinates');
      await user.click(await within(d).findByRole('checkbox', { name: 'optimizer (property)' }));
      await user.click(within(d).getByRole('checkbox', { name: 'loss (metric)' }));
    });
    const parallel = await screen.findByRole('figure', { name: 'Parallel coordinates: optimizer, loss' });
    expect(await within(parallel).findByRole('img', { name: 'Parallel coordinates of 3 runs over param:optimizer, metric:loss' })).toBeInTheDocument();

    await user.selectOptions(within(parallel).getByRole('combobox', { name: /Size of/ }), 'Wide');
    await user.click(within(parallel).getByRole('button', { name: /Move .* left/ }));
    await waitFor(() => expect((location().search as { charts: Array<{ kind: string; size?: string }> }).charts.map((c) => c.kind)).toEqual(['line', 'bar', 'parallel', 'scatter']));
    await user.click(within(line).getByRole('button', { name: 'Remove loss over step' }));
    await waitFor(() => expect(screen.queryByRole('figure', { name: 'loss over step' })).not.toBeInTheDocument());

    // With runs selected, the charts plot those.
    await user.click(screen.getByRole('checkbox', { name: 'Select charlie' }));
    expect(await screen.findByText('Plotting the 1 selected run')).toBeInTheDocument();
  });
});
