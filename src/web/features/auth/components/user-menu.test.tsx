import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderApp } from '../../../test-support/render-app.js';
import { startTestServer } from '../../../test-support/server.js';
import { seedUser, signInAs } from '../../../test-support/team.js';

const server = startTestServer({ auth: 'team' });

beforeAll(async () => {
  await seedUser(server(), 'ada', 'admin');
  await seedUser(server(), 'rita', 'reader');
});

const openMenu = async (user: ReturnType<typeof renderApp>['user'], name: string) => {
  await user.click(await screen.findByRole('button', { name: `Account: ${name}` }));
  return screen.findByRole('menu');
};

describe('the user menu of a team server', () => {
  it("shows an admin's role, their tokens, Admin and Sign out; signing out leads to sign-in", async () => {
    await signInAs(server(), 'ada');
    const { user, location } = renderApp('/experiments');
    const trigger = await screen.findByRole('button', { name: 'Account: ada' });
    expect(trigger).toHaveTextContent('admin');
    const menu = await openMenu(user, 'ada');
    expect(within(menu).getByRole('menuitem', { name: 'API tokens' })).toHaveAttribute('href', '/account');
    expect(within(menu).getByRole('menuitem', { name: 'Admin' })).toHaveAttribute('href', '/admin');

    await user.click(within(menu).getByRole('menuitem', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(location().pathname).toBe('/sign-in');
    await waitFor(() => expect(screen.queryByRole('button', { name: /^Account:/ })).not.toBeInTheDocument());
    // The server forgot the session: the next page is sign-in again.
    await user.click(screen.getByRole('link', { name: 'Experiments' }));
    await waitFor(() => expect(location().pathname).toBe('/sign-in'));
  });

  it('offers a reader no Admin', async () => {
    await signInAs(server(), 'rita');
    const { user } = renderApp('/experiments');
    const menu = await openMenu(user, 'rita');
    expect(within(menu).getByRole('menuitem', { name: 'API tokens' })).toBeInTheDocument();
    expect(within(menu).queryByRole('menuitem', { name: 'Admin' })).not.toBeInTheDocument();
    expect(within(menu).getByRole('menuitem', { name: 'Sign out' })).toBeInTheDocument();
  });
});
