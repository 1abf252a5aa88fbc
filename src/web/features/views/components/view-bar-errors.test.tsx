import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { OTHER_USER } from '../../../test-support/identity.js';
import { renderApp } from '../../../test-support/render-app.js';
import { seedView, updateViewElsewhere } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';
import { viewTestKit } from '../../../test-support/views.js';

const server = startTestServer();
const { experimentWithRun, deleteViewElsewhere, viewBar, flatList } = viewTestKit(server);

describe('a view action the server refuses shows its message', () => {
  it('Save view', async () => {
    // Saving on an experiment that does not exist: the server answers 404.
    const { user } = renderApp('/experiments/987654');
    await user.click(await within(await screen.findByRole('group', { name: 'View' })).findByRole('button', { name: 'Save view' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save view' });
    await user.type(within(dialog).getByRole('textbox', { name: 'View name' }), 'Nowhere');
    await user.click(within(dialog).getByRole('button', { name: 'Save view' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/987654/);
  });

  it('Rename', async () => {
    const experimentId = await experimentWithRun('views-rename-error');
    const view = await seedView(server(), { name: 'Doomed', experimentId, state: {} });
    const { user } = renderApp(`/experiments/${experimentId}?view=${view.id}`);
    await within(await viewBar()).findByRole('button', { name: 'View: Doomed' });
    await deleteViewElsewhere(view.id);
    await user.click(within(await viewBar()).getByRole('button', { name: 'Rename' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rename view' });
    await user.type(within(dialog).getByRole('textbox', { name: 'View name' }), ' again');
    await user.click(within(dialog).getByRole('button', { name: 'Rename' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(`View '${view.id}' not found.`);
  });

  it('Update', async () => {
    const experimentId = await experimentWithRun('views-update-error');
    const view = await seedView(server(), { name: 'Doomed', experimentId, state: {} });
    const { user } = renderApp(`/experiments/${experimentId}?view=${view.id}`);
    await within(await viewBar()).findByRole('button', { name: 'View: Doomed' });
    await deleteViewElsewhere(view.id);
    await user.click(flatList());
    await user.click(await within(await viewBar()).findByRole('button', { name: 'Update' }));
    expect(await screen.findByText(`View '${view.id}' not found.`)).toBeInTheDocument();
  });

  it('Share view', async () => {
    const experimentId = await experimentWithRun('views-share-error');
    const view = await seedView(server(), { name: 'Doomed', experimentId, state: {} });
    const { user } = renderApp(`/experiments/${experimentId}?view=${view.id}`);
    await within(await viewBar()).findByRole('button', { name: 'View: Doomed' });
    await deleteViewElsewhere(view.id);
    await user.click(within(await viewBar()).getByRole('button', { name: 'Share view' }));
    expect(await screen.findByText(`View '${view.id}' not found.`)).toBeInTheDocument();
    expect(screen.queryByRole('dialog', { name: 'Share view' })).not.toBeInTheDocument();
  });

  it('Delete', async () => {
    const experimentId = await experimentWithRun('views-delete-error');
    const view = await seedView(server(), { name: 'Doomed', experimentId, state: {} });
    const { user } = renderApp(`/experiments/${experimentId}?view=${view.id}`);
    await within(await viewBar()).findByRole('button', { name: 'View: Doomed' });
    await deleteViewElsewhere(view.id);
    await user.click(within(await viewBar()).getByRole('button', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('alertdialog', { name: 'Delete view “Doomed”?' })).getByRole('button', { name: 'Delete view' }));
    expect(await screen.findByText(`View '${view.id}' not found.`)).toBeInTheDocument();
  });

  it('Delete of a view changed elsewhere (409)', async () => {
    const experimentId = await experimentWithRun('views-delete-409');
    const view = await seedView(server(), { name: 'Moving', experimentId, visibility: 'shared', state: {} });
    const { user } = renderApp(`/experiments/${experimentId}?view=${view.id}`);
    await within(await viewBar()).findByRole('button', { name: 'View: Moving' });
    await updateViewElsewhere(server(), view.id, 1, { state: { flat: true } }, OTHER_USER);
    await user.click(within(await viewBar()).getByRole('button', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('alertdialog', { name: 'Delete view “Moving”?' })).getByRole('button', { name: 'Delete view' }));
    const conflict = await screen.findByRole('alertdialog', { name: 'This view changed since you opened it' });
    expect(conflict).toHaveTextContent("View 'Moving' changed since you opened it; reload it before deleting.");
  });
});
