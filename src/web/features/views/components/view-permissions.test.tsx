import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { roleReason } from '../../../../shared/studio/auth.js';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, seedRun, seedView } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';
import { asUser, seedUser, signInAs } from '../../../test-support/team.js';

const server = startTestServer({ auth: 'team' });
const readerReason = roleReason('contributor');

let experimentId = '';
let sharedId = '';
beforeAll(async () => {
  await seedUser(server(), 'ada', 'admin');
  await seedUser(server(), 'rita', 'reader');
  const admin = asUser(server(), 'ada');
  experimentId = await createExperiment(admin, 'view-permissions');
  await seedRun(admin, experimentId, { name: 'view-permissions-run' });
  sharedId = (await seedView(admin, { name: 'Team board', experimentId, visibility: 'shared', state: { q: 'board' } })).id as string;
});

const viewBar = () => screen.findByRole('group', { name: 'View' });

describe('the view bar for a reader', () => {
  it("keeps a shared view's Rename and Delete disabled, saying why, and still shows its link", async () => {
    await signInAs(server(), 'rita');
    const { user } = renderApp(`/experiments/${experimentId}?view=${sharedId}`);
    const bar = await viewBar();
    await within(bar).findByRole('button', { name: 'View: Team board' });
    for (const name of ['Rename', 'Delete']) {
      const button = within(bar).getByRole('button', { name });
      expect(button, name).toHaveAttribute('aria-disabled', 'true');
      expect(button, name).toHaveAccessibleDescription(readerReason);
    }
    await user.click(within(bar).getByRole('button', { name: 'Delete' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();

    const share = within(bar).getByRole('button', { name: 'Share view' });
    expect(share).not.toHaveAttribute('aria-disabled');
    await user.click(share);
    expect(await screen.findByRole('dialog', { name: 'Share view' })).toBeInTheDocument();
  });

  it('saves a view of their own, privately only', async () => {
    await signInAs(server(), 'rita');
    const { user } = renderApp(`/experiments/${experimentId}`);
    await user.click(await within(await viewBar()).findByRole('button', { name: 'Save view' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save view' });
    const shared = within(dialog).getByRole('radio', { name: /shared/ });
    expect(shared).toHaveAttribute('aria-disabled', 'true');
    expect(shared).toHaveAccessibleDescription(readerReason);
    await user.click(shared);
    expect(within(dialog).getByRole('radio', { name: /private/ })).toBeChecked();

    await user.type(within(dialog).getByRole('textbox', { name: 'View name' }), 'Mine');
    await user.click(within(dialog).getByRole('button', { name: 'Save view' }));
    const bar = await viewBar();
    await within(bar).findByRole('button', { name: 'View: Mine' });
    await waitFor(() => expect(within(bar).getByRole('button', { name: 'Rename' })).not.toHaveAttribute('aria-disabled'));
    const share = within(bar).getByRole('button', { name: 'Share view' });
    expect(share).toHaveAttribute('aria-disabled', 'true');
    expect(share).toHaveAccessibleDescription(readerReason);
  });
});
