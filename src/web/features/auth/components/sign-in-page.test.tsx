import { screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderApp } from '../../../test-support/render-app.js';
import { startTestServer } from '../../../test-support/server.js';
import { seedUser, TEST_PASSWORD } from '../../../test-support/team.js';

const server = startTestServer({ auth: 'team' });

beforeAll(async () => {
  await seedUser(server(), 'alice', 'contributor');
});

const form = () => ({
  name: screen.getByRole('textbox', { name: 'User name' }),
  password: screen.getByLabelText('Password'),
  submit: screen.getByRole('button', { name: 'Sign in' }),
});

describe('signing in to a team server', () => {
  it('sends a signed-out page to sign-in, then back to it', async () => {
    const { user, location } = renderApp('/experiments?x=1');
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(location().pathname).toBe('/sign-in');
    expect(location().search).toEqual({ next: '/experiments?x=1' });

    await user.type(form().name, 'alice');
    await user.type(form().password, TEST_PASSWORD);
    await user.click(form().submit);
    await waitFor(() => expect(location().pathname).toBe('/experiments'));
    expect(await screen.findByRole('button', { name: 'Account: alice' })).toBeInTheDocument();
  });

  it("shows the server's message when the password is wrong, and stays", async () => {
    const { user, location } = renderApp('/sign-in');
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    await user.type(form().name, 'alice');
    await user.type(form().password, 'not the password');
    await user.click(form().submit);
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong user name or password.');
    expect(location().pathname).toBe('/sign-in');
    expect(form().password).toHaveValue('');
  });

  it('never follows a next that leaves the app: it opens All runs instead', async () => {
    const { user, location } = renderApp(`/sign-in?next=${encodeURIComponent('//evil.example/steal')}`);
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    await user.type(form().name, 'alice');
    await user.type(form().password, TEST_PASSWORD);
    await user.click(form().submit);
    await waitFor(() => expect(location().pathname).toBe('/runs'));
    expect(window.location.origin).toBe(server().url);
  });
});
