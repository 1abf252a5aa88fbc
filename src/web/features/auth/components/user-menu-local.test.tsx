import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../../test-support/render-app.js';
import { startTestServer } from '../../../test-support/server.js';

startTestServer();

describe('the user menu in local mode', () => {
  it('names the local user, an admin, with their tokens and no Sign out', async () => {
    const { user } = renderApp('/experiments');
    const trigger = await screen.findByRole('button', { name: /^Account: / });
    expect(trigger).toHaveTextContent('admin');
    await user.click(trigger);
    const menu = await screen.findByRole('menu');
    expect(within(menu).getByRole('menuitem', { name: 'API tokens' })).toBeInTheDocument();
    expect(within(menu).queryByRole('menuitem', { name: 'Sign out' })).not.toBeInTheDocument();
    expect(within(menu).queryByRole('menuitem', { name: 'Admin' })).not.toBeInTheDocument();
  });
});
