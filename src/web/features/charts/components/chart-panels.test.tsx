import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, logHistory, seedRun } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';

const server = startTestServer();

let experimentId = '';
beforeAll(async () => {
  experimentId = await createExperiment(server(), 'chart-preferences');
  const run = await seedRun(server(), experimentId, { name: 'curve', metrics: { loss: 0.2 } });
  await logHistory(server(), run, 'loss', [1, 0.5, 0.2]);
});

const linkWith = (panel: Record<string, unknown>) => `/experiments/${experimentId}?charts=${encodeURIComponent(JSON.stringify([panel]))}`;
const stored = () => (JSON.parse(localStorage.getItem('runstudio.preferences') ?? '{}') as { state?: Record<string, unknown> }).state ?? {};
/** The line chart, once drawn: its series read (the Smoothing slider shows with the plot), none left in flight. */
const lineChart = async () => {
  const figure = await screen.findByRole('figure', { name: 'loss over step' });
  await within(figure).findByRole('slider', { name: 'Smoothing' });
  return figure;
};

describe('chart panels keep per-device taste out of the URL', () => {
  it('smoothing: one slider value for every line chart on this device, remembered, never in the link', async () => {
    const first = renderApp(linkWith({ id: 'p1', kind: 'line', metric: 'loss' }));
    const slider = await within(await lineChart()).findByRole('slider', { name: 'Smoothing' });
    expect(slider).toHaveValue('0');
    fireEvent.change(slider, { target: { value: '0.6' } });
    await waitFor(() => expect(slider).toHaveValue('0.6'));
    expect(stored().defaultSmoothing).toBe(0.6);
    expect(first.location().search).toEqual({ charts: [{ id: 'p1', kind: 'line', metric: 'loss' }] });
    first.unmount();

    // Another line chart, another visit: the same smoothing.
    renderApp(linkWith({ id: 'p2', kind: 'line', metric: 'loss', logScale: true }));
    expect(await within(await lineChart()).findByRole('slider', { name: 'Smoothing' })).toHaveValue('0.6');
  });

  it('panel size: remembered for that panel on this device, never in the link', async () => {
    const first = renderApp(linkWith({ id: 'sized', kind: 'line', metric: 'loss' }));
    const size = within(await lineChart()).getByRole('combobox', { name: 'Size of loss over step' });
    expect(size).toHaveValue('m');
    await first.user.selectOptions(size, 'Wide');
    await waitFor(() => expect(size).toHaveValue('l'));
    expect(stored().panelSizes).toEqual({ sized: 'l' });
    expect(first.location().search).toEqual({ charts: [{ id: 'sized', kind: 'line', metric: 'loss' }] });
    first.unmount();

    renderApp(linkWith({ id: 'sized', kind: 'line', metric: 'loss' }));
    expect(within(await lineChart()).getByRole('combobox', { name: 'Size of loss over step' })).toHaveValue('l');
  });

  it('opens a link from before, whose panel still carries smoothing and size', async () => {
    const { location } = renderApp(linkWith({ id: 'old', kind: 'line', metric: 'loss', smoothing: 0.9, size: 's' }));
    const chart = await lineChart();
    expect(await within(chart).findByRole('slider', { name: 'Smoothing' })).toHaveValue('0');
    expect(within(chart).getByRole('combobox', { name: 'Size of loss over step' })).toHaveValue('m');
    // The explorer reads the link through the shared schema, which drops the two old fields.
    expect(location().search).toMatchObject({ charts: [{ id: 'old', kind: 'line', metric: 'loss' }] });
  });
});
