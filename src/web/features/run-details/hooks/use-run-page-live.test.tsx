import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { endpointPath, endpoints } from '../../../../shared/api/index.js';
import { FakeEventSource } from '../../../test-support/observers.js';
import { renderApp } from '../../../test-support/render-app.js';
import { appendLog, createExperiment, logHistory, logMetric, seedRun, setStatus } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';

const server = startTestServer();

/** The run page's run-event stream (the fake EventSource of test-support), caught up. */
async function eventStream(runId: string): Promise<FakeEventSource> {
  const find = () => [...FakeEventSource.instances].find((s) => s.url.includes(endpointPath(endpoints.events.stream)));
  await waitFor(() => expect(find()).toBeDefined());
  const stream = find()!;
  expect(stream.url).toContain(`runs=${runId}`);
  stream.emit('ready', {});
  return stream;
}

describe('the run page by push', () => {
  it('draws a metric point when its run says it logged one, and shows its new status', async () => {
    const experimentId = await createExperiment(server(), 'push-run-page');
    const runId = await seedRun(server(), experimentId, { name: 'pushed', status: 'RUNNING' });
    await logHistory(server(), runId, 'loss', [3, 2, 1]);
    renderApp(`/runs/${runId}?tab=metrics`);
    const chart = await screen.findByRole('figure', { name: 'Chart of loss over step' });
    expect(chart).toHaveTextContent('3 points');
    const stream = await eventStream(runId);

    await logMetric(server(), runId, 'loss', 0.5, 3);
    stream.emit('run', { kind: 'metrics', runId, experimentId, keys: ['loss'] });
    await waitFor(() => expect(screen.getByRole('figure', { name: 'Chart of loss over step' })).toHaveTextContent('4 points'));

    await setStatus(server(), runId, 'FINISHED');
    stream.emit('run', { kind: 'status', runId, experimentId, status: 'FINISHED' });
    const header = screen.getByRole('heading', { name: 'pushed' }).closest('header')!;
    await waitFor(() => expect(within(header).getByText('Completed')).toBeInTheDocument());
  });

  it('lists a new log when its run says it grew', async () => {
    const experimentId = await createExperiment(server(), 'push-logs');
    const runId = await seedRun(server(), experimentId, { name: 'logging', status: 'RUNNING' });
    renderApp(`/runs/${runId}?tab=outputs`);
    const logs = await screen.findByRole('navigation', { name: 'Outputs and logs' });
    expect(await within(logs).findByText('No logs')).toBeInTheDocument();
    const stream = await eventStream(runId);
    await appendLog(server(), runId, 'train.log', 'epoch 1\n');
    stream.emit('run', { kind: 'log', runId, experimentId, log: 'train.log', size: 8 });
    expect(await within(logs).findByRole('button', { name: 'train.log' })).toBeInTheDocument();
  });
});
