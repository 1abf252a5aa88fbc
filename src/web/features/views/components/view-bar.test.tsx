import { endpointPath, endpoints } from '../../../../shared/api/index.js';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { OTHER_USER, TEST_USER } from '../../../test-support/identity.js';
import { renderApp } from '../../../test-support/render-app.js';
import { seedView } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';
import { viewTestKit } from '../../../test-support/views.js';

const server = startTestServer();
const { experimentWithRun, storedView, viewBar, viewBarNow, flatList, updateStaleView } = viewTestKit(server);

describe('the view bar', () => {
  it('saves the table as a new shared view and lists it in the picker', async () => {
    const experimentId = await experimentWithRun('views-save');
    const { user, location } = renderApp(`/experiments/${experimentId}`);
    await screen.findByRole('link', { name: 'views-save-run' });
    await user.click(flatList());

    await user.click(within(await viewBar()).getByRole('button', { name: 'Save view' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save view' });
    await user.click(within(dialog).getByRole('button', { name: 'Save view' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('A view needs a name.');
    await user.type(within(dialog).getByRole('textbox', { name: 'View name' }), 'Flat sweep');
    await user.click(within(dialog).getByRole('radio', { name: /Everyone in the workspace/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Save view' }));

    expect(await within(await viewBar()).findByRole('button', { name: 'View: Flat sweep' })).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    const id = (location().search as { view?: string }).view!;
    expect(id).toBeTruthy();
    expect(await storedView(id)).toMatchObject({ name: 'Flat sweep', visibility: 'shared', state: { flat: true } });
    expect(within(await viewBar()).queryByText('Unsaved changes')).not.toBeInTheDocument();

    await user.click(within(await viewBar()).getByRole('button', { name: 'View: Flat sweep' }));
    const menu = await screen.findByRole('menu');
    expect(within(menu).getByRole('menuitem', { name: /Flat sweep\s*shared/ })).toBeInTheDocument();
  });

  it('marks the table dirty when it differs from the open view, and Update saves it', async () => {
    const experimentId = await experimentWithRun('views-dirty');
    const view = await seedView(server(), { name: 'Mine', experimentId, state: { q: 'views' } });
    const { user } = renderApp(`/experiments/${experimentId}?view=${view.id}`);
    // A link that names only the view opens with the view's state.
    expect(await within(await viewBar()).findByRole('button', { name: 'View: Mine' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('searchbox', { name: 'Search runs' })).toHaveValue('views'));
    expect(within(await viewBar()).queryByText('Unsaved changes')).not.toBeInTheDocument();

    await user.click(flatList());
    expect(await within(await viewBar()).findByText('Unsaved changes')).toBeInTheDocument();
    await user.click(flatList());
    await waitFor(() => expect(within(viewBarNow()).queryByText('Unsaved changes')).not.toBeInTheDocument());

    await user.click(flatList());
    await user.click(await within(await viewBar()).findByRole('button', { name: 'Update' }));
    await waitFor(() => expect(within(viewBarNow()).queryByText('Unsaved changes')).not.toBeInTheDocument());
    expect(await storedView(view.id)).toMatchObject({ version: 2, state: { q: 'views', flat: true } });
  });

  it('asks before unsaved changes are left behind, and stays or leaves as told', async () => {
    const experimentId = await experimentWithRun('views-leave');
    const view = await seedView(server(), { name: 'Guarded', experimentId, state: { q: 'views' } });
    const { user, location } = renderApp(`/experiments/${experimentId}?view=${view.id}`);
    await within(await viewBar()).findByRole('button', { name: 'View: Guarded' });
    await user.click(flatList());
    await within(await viewBar()).findByText('Unsaved changes');

    await user.click(screen.getByRole('link', { name: 'Experiments' }));
    const ask = await screen.findByRole('alertdialog', { name: 'Discard unsaved changes?' });
    expect(ask).toHaveTextContent('The view “Guarded” has changes that are not saved.');
    await user.click(within(ask).getByRole('button', { name: 'Stay' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(location().pathname).toBe(`/experiments/${experimentId}`);
    expect(flatList()).toBeChecked();

    await user.click(screen.getByRole('link', { name: 'Experiments' }));
    await user.click(within(await screen.findByRole('alertdialog', { name: 'Discard unsaved changes?' })).getByRole('button', { name: 'Discard changes' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Experiments' })).toBeInTheDocument();
  });

  it('shows the 409 of a stale save, and Reload view brings the newer version', async () => {
    const { user, view } = await updateStaleView('views-409', { q: 'views' });
    const conflict = await screen.findByRole('alertdialog', { name: 'This view changed since you opened it' });
    expect(conflict).toHaveTextContent("View 'Race' was changed by someone else since you opened it (you have version 1).");
    expect((await storedView(view.id)).state).toEqual({ q: 'theirs' });

    await user.click(within(conflict).getByRole('button', { name: 'Reload view' }));
    await waitFor(() => expect(screen.getByRole('searchbox', { name: 'Search runs' })).toHaveValue('theirs'));
    expect(flatList()).not.toBeChecked();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(within(await viewBar()).queryByText('Unsaved changes')).not.toBeInTheDocument();
  });

  it('offers to save a conflicting change as a new view', async () => {
    const { user } = await updateStaleView('views-409-copy', {});
    const conflict = await screen.findByRole('alertdialog', { name: 'This view changed since you opened it' });
    await user.click(within(conflict).getByRole('button', { name: 'Save as new view' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save as a new view' });
    expect(within(dialog).getByRole('textbox', { name: 'View name' })).toHaveValue('Race (copy)');
    await user.click(within(dialog).getByRole('button', { name: 'Save as new view' }));
    expect(await within(await viewBar()).findByRole('button', { name: 'View: Race (copy)' })).toBeInTheDocument();
  });

  // Confirming the conflict dialog must not also run its cancel (which reloads the other version).
  it('keeps this browser’s change in the copy saved after a conflict', async () => {
    const { user, location } = await updateStaleView('views-409-keep', {});
    await user.click(within(await screen.findByRole('alertdialog', { name: 'This view changed since you opened it' })).getByRole('button', { name: 'Save as new view' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save as a new view' });
    await user.click(within(dialog).getByRole('button', { name: 'Save as new view' }));
    await within(await viewBar()).findByRole('button', { name: 'View: Race (copy)' });
    expect(flatList()).toBeChecked();
    expect((await storedView((location().search as { view: string }).view)).state).toEqual({ flat: true });
  });

  it('renames, shares and deletes the open view', async () => {
    const experimentId = await experimentWithRun('views-edit');
    const view = await seedView(server(), { name: 'Draft', experimentId, state: { q: 'views' } });
    const { user, location } = renderApp(`/experiments/${experimentId}?view=${view.id}`);
    await within(await viewBar()).findByRole('button', { name: 'View: Draft' });

    await user.click(within(await viewBar()).getByRole('button', { name: 'Rename' }));
    const rename = await screen.findByRole('dialog', { name: 'Rename view' });
    const name = within(rename).getByRole('textbox', { name: 'View name' });
    await user.clear(name);
    await user.type(name, 'Final');
    await user.click(within(rename).getByRole('button', { name: 'Rename' }));
    expect(await within(await viewBar()).findByRole('button', { name: 'View: Final' })).toBeInTheDocument();

    await user.click(within(await viewBar()).getByRole('button', { name: 'Share view' }));
    const share = await screen.findByRole('dialog', { name: 'Share view' });
    expect(within(share).getByRole('textbox', { name: 'Share link' })).toHaveValue(`${window.location.origin}/experiments/${experimentId}?view=${view.id}`);
    expect((await storedView(view.id)).visibility).toBe('shared');
    await user.click(within(share).getByRole('button', { name: 'Copy link' }));
    expect(await within(share).findByRole('button', { name: 'Copied' })).toBeInTheDocument();
    await expect(navigator.clipboard.readText()).resolves.toContain(`?view=${view.id}`);
    await user.click(within(share).getByRole('button', { name: 'Done' }));

    await user.click(within(await viewBar()).getByRole('button', { name: 'Delete' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete view “Final”?' });
    expect(confirm).toHaveTextContent('It is shared: it disappears for everyone in the workspace.');
    await user.click(within(confirm).getByRole('button', { name: 'Delete view' }));
    expect(await within(await viewBar()).findByRole('button', { name: 'View: All runs of this experiment' })).toBeInTheDocument();
    expect((location().search as { view?: string }).view).toBeUndefined();
    expect((await server().app.inject({ method: 'GET', url: endpointPath(endpoints.views.get, { id: view.id }), headers: { cookie: `rs_uid=${TEST_USER}` } })).statusCode).toBe(404);
  });

  it('opens views from the picker, and the default view resets the table', async () => {
    const experimentId = await experimentWithRun('views-picker');
    await seedView(server(), { name: 'Only flat', experimentId, state: { flat: true } });
    await seedView(server(), { name: 'Team view', experimentId, visibility: 'shared', state: { q: 'views' } }, OTHER_USER);
    await seedView(server(), { name: 'Elsewhere', experimentId: null, state: {} });
    const { user } = renderApp(`/experiments/${experimentId}`);
    await screen.findByRole('link', { name: 'views-picker-run' });

    await user.click(within(await viewBar()).getByRole('button', { name: 'View: All runs of this experiment' }));
    let menu = await screen.findByRole('menu');
    expect(within(menu).queryByRole('menuitem', { name: /Elsewhere/ })).not.toBeInTheDocument();
    await user.click(within(menu).getByRole('menuitem', { name: /Only flat/ }));
    expect(await within(await viewBar()).findByRole('button', { name: 'View: Only flat' })).toBeInTheDocument();
    expect(flatList()).toBeChecked();

    await user.click(within(await viewBar()).getByRole('button', { name: 'View: Only flat' }));
    menu = await screen.findByRole('menu');
    // Local mode has one user (teams, issue 13): every view is "mine", listed with its visibility.
    await user.click(within(menu).getByRole('menuitem', { name: /^Team view/ }));
    expect(await within(await viewBar()).findByRole('button', { name: 'View: Team view' })).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Search runs' })).toHaveValue('views');
    expect(flatList()).not.toBeChecked();

    await user.click(within(await viewBar()).getByRole('button', { name: 'View: Team view' }));
    menu = await screen.findByRole('menu');
    await user.click(within(menu).getByRole('menuitem', { name: /All runs of this experiment/ }));
    expect(await within(await viewBar()).findByRole('button', { name: 'View: All runs of this experiment' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('searchbox', { name: 'Search runs' })).toHaveValue(''));
  });

  it('says why a view in the link cannot be opened', async () => {
    const experimentId = await experimentWithRun('views-missing');
    renderApp(`/experiments/${experimentId}?view=gone-view`);
    expect(await screen.findByText("This view cannot be opened: View 'gone-view' not found.")).toBeInTheDocument();
  });
});
