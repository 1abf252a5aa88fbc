import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../../test-support/render-app.js';
import { seedView, updateViewElsewhere } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';
import { viewTestKit } from '../../../test-support/views.js';

const server = startTestServer();
const { experimentWithRun, deleteViewElsewhere, viewBar } = viewTestKit(server);

describe('recent views (a preference of this device)', () => {
  const stored = () => (JSON.parse(localStorage.getItem('runstudio.preferences') ?? '{}') as { state?: { recentViews?: Array<{ name: string }> } }).state?.recentViews?.map((v) => v.name);
  const openPicker = async (user: ReturnType<typeof renderApp>['user'], label: string) => {
    await user.click(within(await viewBar()).getByRole('button', { name: `View: ${label}` }));
    return screen.findByRole('menu');
  };
  const recentNames = (menu: HTMLElement) => within(within(menu).getByRole('group', { name: 'Recent' })).getAllByRole('menuitem').map((item) => item.textContent);

  it('lists the views opened last under Recent, newest first, without the open one', async () => {
    const experimentId = await experimentWithRun('views-recent');
    await seedView(server(), { name: 'First', experimentId, state: { q: 'views' } });
    await seedView(server(), { name: 'Second', experimentId, state: { flat: true } });
    await seedView(server(), { name: 'Of all runs', experimentId: null, state: {} });
    const { user } = renderApp(`/experiments/${experimentId}`);
    await screen.findByRole('link', { name: 'views-recent-run' });

    let menu = await openPicker(user, 'All runs of this experiment');
    expect(within(menu).queryByRole('group', { name: 'Recent' })).not.toBeInTheDocument();
    expect(within(menu).getByRole('group', { name: 'My views' })).toBeInTheDocument();
    await user.click(within(within(menu).getByRole('group', { name: 'My views' })).getByRole('menuitem', { name: /First/ }));
    await within(await viewBar()).findByRole('button', { name: 'View: First' });

    menu = await openPicker(user, 'First');
    expect(within(menu).queryByRole('group', { name: 'Recent' })).not.toBeInTheDocument();
    await user.click(within(within(menu).getByRole('group', { name: 'My views' })).getByRole('menuitem', { name: /Second/ }));
    await within(await viewBar()).findByRole('button', { name: 'View: Second' });

    menu = await openPicker(user, 'Second');
    expect(recentNames(menu)).toEqual(['First']);
    await user.click(within(menu).getByRole('menuitem', { name: /All runs of this experiment/ }));
    await within(await viewBar()).findByRole('button', { name: 'View: All runs of this experiment' });

    menu = await openPicker(user, 'All runs of this experiment');
    expect(recentNames(menu)).toEqual(['Second', 'First']);
    expect(stored()).toEqual(['Second', 'First']);
    // Opened from Recent: the same view, with its state.
    await user.click(within(within(menu).getByRole('group', { name: 'Recent' })).getByRole('menuitem', { name: 'First' }));
    await within(await viewBar()).findByRole('button', { name: 'View: First' });
    expect(screen.getByRole('searchbox', { name: 'Search runs' })).toHaveValue('views');
    expect(stored()).toEqual(['First', 'Second']);
  });

  it('records a view opened from a link under its latest name, and lists it only on its own page', async () => {
    const experimentId = await experimentWithRun('views-recent-link');
    const view = await seedView(server(), { name: 'Linked', experimentId, state: { flat: true } });
    const first = renderApp(`/experiments/${experimentId}?view=${view.id}`);
    await within(await viewBar()).findByRole('button', { name: 'View: Linked' });
    await waitFor(() => expect(stored()).toEqual(['Linked']));
    first.unmount();

    await updateViewElsewhere(server(), view.id, view.version, { name: 'Linked, renamed' });
    const again = renderApp(`/experiments/${experimentId}?view=${view.id}`);
    await within(await viewBar()).findByRole('button', { name: 'View: Linked, renamed' });
    await waitFor(() => expect(stored()).toEqual(['Linked, renamed']));
    again.unmount();

    // The all-runs page has views of its own; this experiment's view is not among them.
    const { user } = renderApp('/runs');
    const menu = await openPicker(user, 'All runs');
    expect(within(menu).queryByRole('group', { name: 'Recent' })).not.toBeInTheDocument();
  });

  it('forgets a view that was deleted, here or elsewhere', async () => {
    const experimentId = await experimentWithRun('views-recent-gone');
    const kept = await seedView(server(), { name: 'Kept', experimentId, state: { flat: true } });
    const gone = await seedView(server(), { name: 'Gone elsewhere', experimentId, state: { q: 'views' } });
    const deleted = await seedView(server(), { name: 'Deleted here', experimentId, state: { q: 'views-recent' } });
    for (const v of [gone, kept, deleted]) {
      const opened = renderApp(`/experiments/${experimentId}?view=${v.id}`);
      await within(await viewBar()).findByRole('button', { name: `View: ${v.name}` });
      opened.unmount();
    }
    await waitFor(() => expect(stored()).toEqual(['Deleted here', 'Kept', 'Gone elsewhere']));

    // Deleted here: Delete on the open view.
    const { user } = renderApp(`/experiments/${experimentId}?view=${deleted.id}`);
    await within(await viewBar()).findByRole('button', { name: 'View: Deleted here' });
    await user.click(within(await viewBar()).getByRole('button', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('alertdialog', { name: 'Delete view “Deleted here”?' })).getByRole('button', { name: 'Delete view' }));
    await within(await viewBar()).findByRole('button', { name: 'View: All runs of this experiment' });
    expect(stored()).toEqual(['Kept', 'Gone elsewhere']);

    // Deleted elsewhere: still listed until opened; the server's 404 forgets it.
    await deleteViewElsewhere(gone.id);
    let menu = await openPicker(user, 'All runs of this experiment');
    expect(recentNames(menu)).toEqual(['Kept', 'Gone elsewhere']);
    await user.click(within(within(menu).getByRole('group', { name: 'Recent' })).getByRole('menuitem', { name: 'Gone elsewhere' }));
    expect(await screen.findByText(/This view cannot be opened/)).toBeInTheDocument();
    await waitFor(() => expect(stored()).toEqual(['Kept']));
    menu = await openPicker(user, 'All runs of this experiment');
    expect(recentNames(menu)).toEqual(['Kept']);
  });
});
