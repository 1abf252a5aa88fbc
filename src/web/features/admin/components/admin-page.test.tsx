import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointPath, endpoints } from '../../../../shared/api/index.js';
import { renderApp } from '../../../test-support/render-app.js';
import { startTestServer } from '../../../test-support/server.js';
import { asUser, seedUser, signInAs, TEST_PASSWORD } from '../../../test-support/team.js';

const server = startTestServer({ auth: 'team' });

beforeAll(async () => {
  await seedUser(server(), 'root', 'admin');
  await seedUser(server(), 'rita', 'reader', 'rita@example.com');
  await seedUser(server(), 'nora', 'reader');
});

/** The users as the server has them, read by an admin. */
const storedUsers = async () => (await asUser(server(), 'root').get(endpointPath(endpoints.users.list))).body.users as Array<{ name: string; role: string; email: string | null; hasPassword: boolean }>;
const usersTable = () => screen.findByRole('table', { name: 'Users' });

describe('the admin page', () => {
  it('adds a user, changes their role and removes them', async () => {
    await signInAs(server(), 'root');
    const { user } = renderApp('/admin');
    expect(await screen.findByRole('heading', { level: 1, name: 'Admin' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Users' })).toHaveAttribute('aria-selected', 'true');
    const rita = within(await usersTable()).getByRole('combobox', { name: 'Role of rita' });
    expect(rita).toHaveValue('reader');
    expect(rita.closest('tr')).toHaveTextContent(/^rita.*rita@example\.com.*yes/);

    await user.click(screen.getByRole('button', { name: 'Add user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add user' });
    await user.type(within(dialog).getByLabelText('User name'), 'bob');
    await user.selectOptions(within(dialog).getByLabelText('Role'), 'contributor');
    await user.type(within(dialog).getByLabelText('E-mail (optional)'), ' bob@example.com ');
    await user.type(within(dialog).getByLabelText('Password'), TEST_PASSWORD);
    await user.click(within(dialog).getByRole('button', { name: 'Add user' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByRole('combobox', { name: 'Role of bob' })).toHaveValue('contributor');
    expect(screen.getByRole('combobox', { name: 'Role of bob' }).closest('tr')).toHaveTextContent('bob@example.com');
    expect((await storedUsers()).find((u) => u.name === 'bob')).toMatchObject({ role: 'contributor', email: 'bob@example.com', hasPassword: true });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Role of bob' }), 'admin');
    await waitFor(async () => expect((await storedUsers()).find((u) => u.name === 'bob')?.role).toBe('admin'));

    await user.click(screen.getByRole('button', { name: 'Remove bob' }));
    await user.click(await screen.findByRole('button', { name: 'Remove user' }));
    await waitFor(() => expect(screen.queryByRole('combobox', { name: 'Role of bob' })).not.toBeInTheDocument());
    expect((await storedUsers()).map((u) => u.name)).not.toContain('bob');
  });

  it('sets, changes and clears a user’s e-mail, showing the server’s refusal of a bad address', async () => {
    await signInAs(server(), 'root');
    const { user } = renderApp('/admin');
    const row = (name: string) => within(screen.getByRole('table', { name: 'Users' })).getByRole('combobox', { name: `Role of ${name}` }).closest('tr')!;
    await usersTable();
    expect(row('nora')).toHaveTextContent(/^nora.*none/);

    await user.click(within(row('nora')).getByRole('button', { name: 'Edit e-mail for nora' }));
    const input = within(row('nora')).getByRole('textbox', { name: 'E-mail of nora' });
    expect(input).toHaveValue('');
    expect(input).toHaveFocus();
    await user.type(input, 'nora@localhost');
    await user.click(within(row('nora')).getByRole('button', { name: 'Save' }));
    expect(await within(row('nora')).findByRole('alert')).toHaveTextContent('an e-mail address like name@example.com');
    expect((await storedUsers()).find((u) => u.name === 'nora')?.email).toBeNull();

    await user.clear(input);
    await user.type(input, 'nora@example.com{Enter}');
    await waitFor(() => expect(within(row('nora')).queryByRole('textbox')).not.toBeInTheDocument());
    expect(row('nora')).toHaveTextContent('nora@example.com');
    expect((await storedUsers()).find((u) => u.name === 'nora')?.email).toBe('nora@example.com');

    // Escape leaves the address as it was; an empty one removes it.
    await user.click(within(row('nora')).getByRole('button', { name: 'Edit e-mail for nora' }));
    await user.type(within(row('nora')).getByRole('textbox', { name: 'E-mail of nora' }), 'x{Escape}');
    expect(row('nora')).toHaveTextContent('nora@example.com');
    await user.click(within(row('nora')).getByRole('button', { name: 'Edit e-mail for nora' }));
    await user.clear(within(row('nora')).getByRole('textbox', { name: 'E-mail of nora' }));
    await user.click(within(row('nora')).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(row('nora')).toHaveTextContent(/^nora.*none/));
    expect((await storedUsers()).find((u) => u.name === 'nora')?.email).toBeNull();
  });

  it('shows the server’s refusal in the Add user dialog', async () => {
    await signInAs(server(), 'root');
    const { user } = renderApp('/admin');
    await user.click(await screen.findByRole('button', { name: 'Add user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add user' });
    await user.type(within(dialog).getByLabelText('User name'), 'rita');
    await user.click(within(dialog).getByRole('button', { name: 'Add user' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/rita/);
  });

  it('lists every user’s tokens and revokes one', async () => {
    // Tokens are made by their owner on a signed-in page: rita's session, with its CSRF token.
    const signIn = await server().app.inject({ method: 'POST', url: endpointPath(endpoints.auth.signIn), payload: { name: 'rita', password: TEST_PASSWORD } });
    const cookie = [signIn.headers['set-cookie'] ?? []].flat()[0]!.split(';')[0]!;
    const made = await server().app.inject({ method: 'POST', url: endpointPath(endpoints.tokens.create), headers: { cookie, 'x-csrf-token': signIn.json<{ csrfToken: string }>().csrfToken }, payload: { name: 'ci' } });
    expect(made.statusCode, made.body).toBe(201);
    const created = { body: made.json<{ token: { prefix: string } }>() };
    await signInAs(server(), 'root');
    const { user } = renderApp('/admin');
    await user.click(await screen.findByRole('tab', { name: 'Tokens' }));
    const table = await screen.findByRole('table', { name: 'Tokens' });
    expect(within(table).getByText(`${created.body.token.prefix}…`)).toBeInTheDocument();

    await user.click(within(table).getByRole('button', { name: 'Revoke token ci of rita' }));
    await user.click(await screen.findByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Revoke token ci of rita' })).not.toBeInTheDocument());
    const left = (await asUser(server(), 'rita').get(endpointPath(endpoints.tokens.list))).body.tokens as unknown[];
    expect(left).toEqual([]);
  });

  it('tells a non-admin that only admins manage users', async () => {
    await signInAs(server(), 'rita');
    renderApp('/admin');
    expect(await screen.findByText('Only admins may manage users and tokens.')).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'Users' })).not.toBeInTheDocument();
  });
});
