import { focusManager } from '@tanstack/react-query';
import { screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ML } from '../../../../server/test-support/backends.js';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, seedRun, setStatus } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';

const server = startTestServer();

let experimentId = '';
beforeAll(async () => {
  experimentId = await createExperiment(server(), 'errors');
});
afterEach(() => focusManager.setFocused(undefined));

/** Someone deletes the run in another window: every later write to it is refused (400). */
const deleteElsewhere = (runId: string) => server().post(`${ML}/runs/delete`, { run_id: runId });
const inactive = /must be in the 'active' state/;

// Each refusal must reach the screen exactly once: `findByText` fails on two matches as on none.
describe('a run edit the server refuses shows the server’s message', () => {
  it('rename', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'rename-me' });
    const { user } = renderApp(`/runs/${runId}`);
    await user.click(await screen.findByRole('button', { name: 'Edit display name' }));
    await deleteElsewhere(runId);
    await user.type(screen.getByRole('textbox', { name: 'Display name' }), '-renamed{Enter}');
    expect(await screen.findByText(inactive)).toBeInTheDocument();
    // The optimistic name is rolled back.
    expect(await screen.findByRole('heading', { level: 1, name: 'rename-me' })).toBeInTheDocument();
  });

  it('add a tag', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'tag-me' });
    const { user } = renderApp(`/runs/${runId}`);
    await user.click(await screen.findByRole('button', { name: 'Add tag' }));
    await user.type(screen.getByRole('textbox', { name: 'Key' }), 'bad:key');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText(/Invalid tag name: 'bad:key'/)).toBeInTheDocument();
    expect(await within(screen.getByRole('list', { name: 'Tags' })).findByText('No tags.')).toBeInTheDocument();
  });

  it('delete a tag', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'untag-me', tags: { stage: 'draft' } });
    const { user } = renderApp(`/runs/${runId}`);
    const tags = await screen.findByRole('list', { name: 'Tags' });
    await server().post(`${ML}/runs/delete-tag`, { run_id: runId, key: 'stage' });
    await user.click(within(tags).getByRole('button', { name: 'Delete tag stage' }));
    expect(await screen.findByText(/No tag with name: stage/)).toBeInTheDocument();
  });

  it('description', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'describe-me' });
    const { user } = renderApp(`/runs/${runId}`);
    await user.click(await screen.findByRole('button', { name: 'Edit description' }));
    await user.type(screen.getByRole('textbox', { name: 'Description (Markdown)' }), 'Lost words');
    await deleteElsewhere(runId);
    await user.click(screen.getByRole('button', { name: 'Save description' }));
    expect(await screen.findByText(inactive)).toBeInTheDocument();
    expect(await screen.findByText(/No description yet/)).toBeInTheDocument();
  });

  // A live run's page re-reads it every 2 s; with the window in the background it waits, so the
  // run can end elsewhere while the page still offers Cancel and Mark as failed.
  it('cancel', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'cancel-me', status: 'RUNNING' });
    const { user } = renderApp(`/runs/${runId}`);
    expect(await screen.findByText('Running')).toBeInTheDocument();
    focusManager.setFocused(false);
    await setStatus(server(), runId, 'FINISHED');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(within(await screen.findByRole('alertdialog', { name: 'Cancel this run?' })).getByRole('button', { name: 'Cancel run' }));
    expect(await screen.findByText(/has already ended \(FINISHED\)/)).toBeInTheDocument();
    expect(await screen.findByText('Completed')).toBeInTheDocument();
  });

  it('mark as failed', async () => {
    const runId = await seedRun(server(), experimentId, { name: 'fail-me', status: 'RUNNING' });
    const { user } = renderApp(`/runs/${runId}`);
    expect(await screen.findByText('Running')).toBeInTheDocument();
    focusManager.setFocused(false);
    await setStatus(server(), runId, 'KILLED');
    await user.click(screen.getByRole('button', { name: 'Mark as failed' }));
    await user.click(within(await screen.findByRole('alertdialog', { name: 'Mark this run as failed?' })).getByRole('button', { name: 'Mark run as failed' }));
    expect(await screen.findByText(/has already ended \(KILLED\)/)).toBeInTheDocument();
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
  });
});
