import { screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointPath, endpoints } from '../../../../shared/api/index.js';
import { renderApp } from '../../../test-support/render-app.js';
import { startTestServer } from '../../../test-support/server.js';
import { seedUser, signInAs } from '../../../test-support/team.js';

const server = startTestServer({ auth: 'team' });

beforeAll(async () => {
  await seedUser(server(), 'ann', 'contributor');
});

/** Who the server takes a bearer of `secret` for. */
const bearerOf = async (secret: string) => {
  const res = await server().app.inject({ method: 'GET', url: endpointPath(endpoints.auth.session), headers: { authorization: `Bearer ${secret}` } });
  return res.json<{ user: { name: string } | null }>().user?.name;
};

describe('the account page', () => {
  it('creates a token, shows its secret once, and revokes it', async () => {
    await signInAs(server(), 'ann');
    const first = renderApp('/account');
    expect(await screen.findByRole('heading', { level: 1, name: 'Your account' })).toBeInTheDocument();
    expect(screen.getByText('Name', { selector: 'dt' }).nextElementSibling).toHaveTextContent('ann');
    expect(screen.getByText('Role', { selector: 'dt' }).nextElementSibling).toHaveTextContent('contributor');
    expect(await screen.findByText('No API tokens.')).toBeInTheDocument();

    await first.user.type(screen.getByLabelText('Token name'), 'laptop');
    await first.user.type(screen.getByLabelText('Expires in days'), '30');
    await first.user.click(screen.getByRole('button', { name: 'Create token' }));
    const field = await screen.findByRole('textbox', { name: 'New token' });
    const secret = (field as HTMLInputElement).value;
    expect(secret.length).toBeGreaterThan(20);
    expect(field).toHaveAttribute('readonly');
    expect(screen.getByText('Copy it now: it is not shown again.')).toBeInTheDocument();
    expect(screen.getByText(`export MLFLOW_TRACKING_TOKEN=${secret}`)).toBeInTheDocument();
    expect(screen.getByText(`export RUNSTUDIO_TOKEN=${secret}`)).toBeInTheDocument();
    await first.user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeInTheDocument();
    await expect(navigator.clipboard.readText()).resolves.toBe(secret);
    expect(await bearerOf(secret)).toBe('ann');

    const table = await screen.findByRole('table', { name: 'Your API tokens' });
    const row = within(table).getByRole('button', { name: 'Revoke token laptop' }).closest('tr')!;
    expect(row).toHaveTextContent(/in (30 days|4 weeks)/);

    // A new visit lists the token but never its secret again.
    first.unmount();
    const { user } = renderApp('/account');
    expect(await screen.findByRole('button', { name: 'Revoke token laptop' })).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'New token' })).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(secret);

    await user.click(screen.getByRole('button', { name: 'Revoke token laptop' }));
    await user.click(await screen.findByRole('button', { name: 'Revoke' }));
    expect(await screen.findByText('No API tokens.')).toBeInTheDocument();
    expect(await bearerOf(secret)).toBeUndefined();
  });

  it('shows why a token cannot be made', async () => {
    await signInAs(server(), 'ann');
    const { user } = renderApp('/account');
    await user.type(await screen.findByLabelText('Token name'), '   ');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await within(screen.getByRole('form', { name: 'Create token' })).findByRole('alert')).toHaveTextContent('a token needs a name');
    expect(screen.queryByRole('textbox', { name: 'New token' })).not.toBeInTheDocument();
  });
});
