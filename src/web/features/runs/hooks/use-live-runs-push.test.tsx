import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { endpointPath, endpoints } from '../../../../shared/api/index.js';
import type { RunEvent } from '../../../../shared/studio/events.js';
import { FakeEventSource } from '../../../test-support/observers.js';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, seedRun, setStatus } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';

const server = startTestServer();

/** Every run search the page sends: the table's pages (no runIds) and reads of single runs; and how many were answered. */
let searches: Array<{ runIds?: string[] }> = [];
let answered = 0;
beforeEach(() => {
  searches = [];
  answered = 0;
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    if (!String(input instanceof Request ? input.url : input).endsWith(endpointPath(endpoints.runs.search)) || typeof init?.body !== 'string') return realFetch(input, init);
    searches.push(JSON.parse(init.body) as { runIds?: string[] });
    return realFetch(input, init).then(async (response) => {
      await response.clone().text();
      answered += 1;
      return response;
    });
  });
});
afterEach(() => vi.restoreAllMocks());

/** The page's run-event stream (the fake EventSource of test-support), once it is open. */
async function eventStream(experimentId: string): Promise<FakeEventSource> {
  const find = () => [...FakeEventSource.instances].find((s) => s.url.includes(endpointPath(endpoints.events.stream)));
  await waitFor(() => expect(find()).toBeDefined());
  const stream = find()!;
  expect(stream.url).toContain(`experiments=${experimentId}`);
  return stream;
}
const push = (stream: FakeEventSource, event: RunEvent) => stream.emit('run', event);

async function openExplorer(name: string) {
  const experimentId = await createExperiment(server(), name);
  const running = await seedRun(server(), experimentId, { name: 'training', status: 'RUNNING' });
  await seedRun(server(), experimentId, { name: 'finished' });
  renderApp(`/experiments/${experimentId}`);
  const row = (await screen.findByRole('link', { name: 'training' })).closest('tr')!;
  const stream = await eventStream(experimentId);
  stream.emit('ready', {});
  // Caught up, the page reads its live runs once (what changed before the stream opened):
  // answered before the test changes anything, so what follows is the events' doing.
  await waitFor(() => expect(searches.filter((s) => s.runIds)).toHaveLength(1));
  await waitFor(() => expect(answered).toBe(searches.length));
  return { experimentId, running, row, stream };
}

describe('the run explorer by push', () => {
  it('reads just the run an event names and patches its row in place', async () => {
    const { experimentId, running, row, stream } = await openExplorer('push-status');
    const tablePages = searches.filter((s) => !s.runIds).length;
    await setStatus(server(), running, 'FINISHED');
    push(stream, { kind: 'status', runId: running, experimentId, status: 'FINISHED' });
    await waitFor(() => expect(within(row).getByText('Completed')).toBeInTheDocument());
    expect(screen.getByRole('link', { name: 'training' }).closest('tr')).toBe(row);
    expect(searches.filter((s) => !s.runIds).length).toBe(tablePages);
    expect(searches.filter((s) => s.runIds).at(-1)?.runIds).toEqual([running]);
  });

  it('puts a new top-level run on top without reading the table again', async () => {
    const { experimentId, stream } = await openExplorer('push-created');
    expect(screen.getByText('2 runs')).toBeInTheDocument();
    const tablePages = searches.filter((s) => !s.runIds).length;
    const fresh = await seedRun(server(), experimentId, { name: 'brand-new', status: 'RUNNING' });
    push(stream, { kind: 'created', runId: fresh, experimentId, parentRunId: null });
    const link = await screen.findByRole('link', { name: 'brand-new' });
    expect(screen.getAllByRole('link', { name: /^(brand-new|training|finished)$/ })[0]).toBe(link);
    expect(screen.getByText('3 runs')).toBeInTheDocument();
    expect(searches.filter((s) => !s.runIds).length).toBe(tablePages);
  });

  it('reads every page again on reset (what the page missed is gone)', async () => {
    const { experimentId, stream } = await openExplorer('push-reset');
    await seedRun(server(), experimentId, { name: 'missed' });
    stream.emit('reset', {});
    expect(await screen.findByRole('link', { name: 'missed' })).toBeInTheDocument();
  });

  it('polls the live runs again while the stream is down', async () => {
    const { running, row, stream } = await openExplorer('push-down');
    await setStatus(server(), running, 'FINISHED');
    // No event: the page learns it only by polling, which starts again when the stream breaks.
    stream.readyState = FakeEventSource.CONNECTING;
    stream.dispatchEvent(new Event('error'));
    await waitFor(() => expect(within(row).getByText('Completed')).toBeInTheDocument(), { timeout: 5_000 });
    expect(searches.filter((s) => s.runIds).at(-1)?.runIds).toEqual([running]);
  });
});
