import { endpointPath, endpoints } from '../../../../shared/api/index.js';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, logMetric, seedRun, setStatus } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';

const server = startTestServer();

// The explorer re-reads its live runs every 1.5 s: real timers, and a wait long enough for two ticks.
const LIVE = { timeout: 5_000 };

describe('live rows of the run explorer', () => {
  it('shows a running run’s new status and metrics without reloading the table', async () => {
    const experimentId = await createExperiment(server(), 'live');
    const running = await seedRun(server(), experimentId, { name: 'training', status: 'RUNNING', metrics: { loss: 1 } });
    await seedRun(server(), experimentId, { name: 'finished', metrics: { loss: 2 } });
    const cols = encodeURIComponent(JSON.stringify(['name', 'status', 'metric:loss']));
    // Every run search the page sends: the table's own pages, and the live refresh of just its live runs.
    const searches: Array<{ runIds?: string[] }> = [];
    const realFetch = globalThis.fetch;
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith(endpointPath(endpoints.runs.search)) && typeof init?.body === 'string') searches.push(JSON.parse(init.body) as { runIds?: string[] });
      return realFetch(input, init);
    });
    renderApp(`/experiments/${experimentId}?cols=${cols}`);

    const row = (await screen.findByRole('link', { name: 'training' })).closest('tr')!;
    const tablePages = searches.filter((s) => !s.runIds).length;
    expect(within(row).getByText('Running')).toBeInTheDocument();
    expect(within(row).getByText('1')).toBeInTheDocument();

    await logMetric(server(), running, 'loss', 0.25, 1);
    await waitFor(() => expect(within(row).getByText('0.25')).toBeInTheDocument(), LIVE);
    await setStatus(server(), running, 'FINISHED');
    await waitFor(() => expect(within(row).getByText('Completed')).toBeInTheDocument(), LIVE);

    // Patched in place: the same row element; the table was not read again from the top, and
    // the live refresh asked for the live run alone.
    expect(screen.getByRole('link', { name: 'training' }).closest('tr')).toBe(row);
    expect(screen.getByText('2 runs')).toBeInTheDocument();
    expect(searches.filter((s) => !s.runIds).length).toBe(tablePages);
    expect(searches.filter((s) => s.runIds).every((s) => s.runIds!.length === 1 && s.runIds![0] === running)).toBe(true);
    expect(searches.some((s) => s.runIds)).toBe(true);
    spy.mockRestore();
  });
});
