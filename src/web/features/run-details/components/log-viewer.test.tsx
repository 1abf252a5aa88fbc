import { endpointPath, endpoints } from '../../../../shared/api/index.js';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeEventSource } from '../../../test-support/observers.js';
import { renderApp } from '../../../test-support/render-app.js';
import { appendLog, createExperiment, seedRun } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';

const server = startTestServer();

const LINES = 5_000;
let runId = '';
beforeAll(async () => {
  const experimentId = await createExperiment(server(), 'logs');
  runId = await seedRun(server(), experimentId, { name: 'long-log' });
  await appendLog(server(), runId, 'train.log', Array.from({ length: LINES }, (_, i) => `line ${i + 1}${i === 3_999 ? ' needle' : ''}`).join('\n') + '\n');
});

/** The line numbers on screen, in order (each line shows its number beside its text). */
const shownLines = (log: HTMLElement) => [...log.querySelectorAll('[data-match]')].map((line) => Number(line.firstElementChild?.textContent));

describe('the log viewer', () => {
  it('renders only the lines near the viewport of a long log, and follows the scroll', async () => {
    renderApp(`/runs/${runId}?tab=outputs`);
    const log = await screen.findByRole('region', { name: 'Log train.log' });
    expect(await within(log).findByText('line 1')).toBeInTheDocument();
    // 600 px of 20 px lines, plus the overscan: about 70 of the 5,000 lines are in the DOM.
    const first = shownLines(log);
    expect(first[0]).toBe(1);
    expect(first.length).toBeGreaterThan(20);
    expect(first.length).toBeLessThan(100);
    expect(within(log).queryByText(`line ${LINES}`)).not.toBeInTheDocument();

    // Scrolled to line 3,000: that window is fetched and shown, the top is gone.
    log.scrollTop = 3_000 * 20;
    fireEvent.scroll(log);
    expect(await within(log).findByText('line 3001')).toBeInTheDocument();
    expect(within(log).queryByText('line 1')).not.toBeInTheDocument();
    expect(shownLines(log).length).toBeLessThan(150);
  });

  it('finds matches, and scrolls to them one after the other', async () => {
    const { user } = renderApp(`/runs/${runId}?tab=outputs`);
    const log = await screen.findByRole('region', { name: 'Log train.log' });
    await within(log).findByText('line 1');
    await user.type(screen.getByRole('searchbox', { name: 'Search log' }), 'needle{Enter}');
    expect(await screen.findByText('1 of 1 matches')).toBeInTheDocument();
    expect(await within(log).findByText('line 4000 needle')).toBeInTheDocument();
    expect(within(log).queryByText('line 1')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next match' }));
    expect(screen.getByText('1 of 1 matches')).toBeInTheDocument();

    await user.clear(screen.getByRole('searchbox', { name: 'Search log' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search log' }), 'haystack{Enter}');
    expect(await screen.findByText('No matches')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous match' })).toBeDisabled();
  });

  it('tails a running run’s log as lines are appended', async () => {
    const experimentId = await createExperiment(server(), 'live-logs');
    const live = await seedRun(server(), experimentId, { name: 'live-log', status: 'RUNNING' });
    await appendLog(server(), live, 'out.log', 'starting\n');
    renderApp(`/runs/${live}?tab=outputs`);
    const log = await screen.findByRole('region', { name: 'Log out.log' });
    expect(await within(log).findByText('starting')).toBeInTheDocument();
    expect(screen.getByText('Live')).toBeInTheDocument();

    // The run page's own run-event stream is open too; the tail is the log's stream.
    const logStreams = () => [...FakeEventSource.instances].filter((s) => s.url.includes('/logs/'));
    await waitFor(() => expect(logStreams()).toHaveLength(1));
    const [stream] = logStreams();
    expect(stream!.url).toContain(`${endpointPath(endpoints.logs.stream, { id: live, name: 'out.log' })}?from=9`);
    const res = await server().app.inject({ method: 'POST', url: `${endpointPath(endpoints.logs.append, { id: live, name: 'out.log' })}?offset=9`, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('epoch 1 done\n') });
    expect(res.statusCode).toBe(200);
    stream!.emit('append', { offset: 9, text: 'epoch 1 done\n' });
    expect(await within(log).findByText('epoch 1 done')).toBeInTheDocument();
  });
});
