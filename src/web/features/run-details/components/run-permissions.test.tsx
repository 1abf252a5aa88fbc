import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { roleReason } from '../../../../shared/studio/auth.js';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, seedRun } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';
import { asUser, seedUser, signInAs } from '../../../test-support/team.js';

const server = startTestServer({ auth: 'team' });
const readerReason = roleReason('contributor');

let runId = '';
beforeAll(async () => {
  await seedUser(server(), 'ada', 'admin');
  await seedUser(server(), 'rita', 'reader');
  await seedUser(server(), 'carl', 'contributor');
  const admin = asUser(server(), 'ada');
  const experimentId = await createExperiment(admin, 'permissions');
  runId = await seedRun(admin, experimentId, { name: 'live-one', status: 'RUNNING', tags: { team: 'vision' } });
});

const actions = () => screen.findByRole('toolbar', { name: 'Run actions' });

describe('the run page for a reader', () => {
  it('keeps every change in view but disabled, each saying why', async () => {
    await signInAs(server(), 'rita');
    const { user } = renderApp(`/runs/${runId}`);
    await screen.findByRole('heading', { level: 1, name: 'live-one' });
    const cancel = within(await actions()).getByRole('button', { name: 'Cancel' });
    // The session may arrive after the run: until then the control is disabled with no reason.
    await waitFor(() => expect(cancel).toHaveAccessibleDescription(readerReason));
    expect(cancel).toHaveAttribute('aria-disabled', 'true');
    expect(cancel).toHaveAttribute('title', readerReason);
    expect(cancel).toBeEnabled();
    await user.click(cancel);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();

    const fail = within(await actions()).getByRole('button', { name: 'Mark as failed' });
    expect(fail).toHaveAttribute('aria-disabled', 'true');
    expect(fail).toHaveAccessibleDescription(readerReason);

    for (const name of ['Edit display name', 'Edit description', 'Add tag', 'Edit tag team', 'Delete tag team']) {
      const control = screen.getByRole('button', { name });
      expect(control, name).toHaveAttribute('aria-disabled', 'true');
      expect(control, name).toHaveAccessibleDescription(readerReason);
    }
    await user.click(screen.getByRole('button', { name: 'Edit display name' }));
    expect(screen.queryByRole('textbox', { name: 'Display name' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Delete tag team' }));
    expect(within(screen.getByRole('list', { name: 'Tags' })).getByText('team: vision')).toBeInTheDocument();
  });
});

describe('the run page for a contributor', () => {
  it('lets them cancel, with no description of a refusal', async () => {
    await signInAs(server(), 'carl');
    const { user } = renderApp(`/runs/${runId}`);
    await screen.findByRole('heading', { level: 1, name: 'live-one' });
    const cancel = within(await actions()).getByRole('button', { name: 'Cancel' });
    await waitFor(() => expect(cancel).not.toHaveAttribute('aria-disabled'));
    expect(cancel).not.toHaveAccessibleDescription();
    await user.click(cancel);
    expect(await screen.findByRole('alertdialog', { name: 'Cancel this run?' })).toBeInTheDocument();
  });
});
