import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
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
    renderApp(`/experiments/${experimentId}?cols=${cols}`);

    const row = (await screen.findByRole('link', { name: 'training' })).closest('tr')!;
    expect(within(row).getByText('Running')).toBeInTheDocument();
    expect(within(row).getByText('1')).toBeInTheDocument();

    await logMetric(server(), running, 'loss', 0.25, 1);
    await waitFor(() => expect(within(row).getByText('0.25')).toBeInTheDocument(), LIVE);
    await setStatus(server(), running, 'FINISHED');
    await waitFor(() => expect(within(row).getByText('Completed')).toBeInTheDocument(), LIVE);

    // Patched in place: the same row element, and the table was not read again from the top.
    expect(screen.getByRole('link', { name: 'training' }).closest('tr')).toBe(row);
    expect(screen.getByText('2 runs')).toBeInTheDocument();
  });
});
