import { screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { setViewportHeight } from '../../../test-support/layout.js';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, seedRun } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';

const server = startTestServer();

// More top-level runs than the explorer's first page (200): the oldest come with the second.
const RUNS = 205;
let experimentId = '';
beforeAll(async () => {
  experimentId = await createExperiment(server(), 'many-pages');
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < RUNS; i += 1) await seedRun(server(), experimentId, { name: `run-${String(i).padStart(3, '0')}`, startTime: t0 + i * 1000 });
});

describe('the run explorer past its first page', () => {
  it('keeps the total of the first page while the next pages load (they are not counted again)', async () => {
    setViewportHeight(34 * (RUNS + 10));
    renderApp(`/experiments/${experimentId}`);
    expect(await screen.findByText(`${RUNS} runs`)).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Runs' });
    // The whole first page is on screen, so the table asks for the next one by itself.
    expect(await within(table).findByRole('link', { name: 'run-000' }, { timeout: 5000 })).toBeInTheDocument();
    expect(within(table).getByRole('link', { name: 'run-204' })).toBeInTheDocument();
    expect(screen.getByText(`${RUNS} runs`)).toBeInTheDocument();
    expect(table).toHaveAttribute('aria-rowcount', String(RUNS + 1));
  });
});
