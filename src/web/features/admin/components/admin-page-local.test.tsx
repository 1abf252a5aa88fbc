import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../../test-support/render-app.js';
import { startTestServer } from '../../../test-support/server.js';

startTestServer();

describe('the admin page of a server without sign-in', () => {
  it('says there is nobody to manage and how to start team mode', async () => {
    renderApp('/admin');
    expect(await screen.findByText(/runs without sign-in/)).toBeInTheDocument();
    expect(screen.getByText(/runstudio serve --auth/)).toHaveTextContent('runstudio users add <name> --role admin');
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
  });
});
