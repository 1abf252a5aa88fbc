import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createExperiment, createRun } from '../../../../server/test-support/seed.js';
import { renderApp } from '../../../test-support/render-app.js';
import { startTestServer } from '../../../test-support/server.js';

const server = startTestServer();

describe('the experiments page', () => {
  it('lists experiments with their run counts, filters them by name, and opens one', async () => {
    const vision = await createExperiment(server(), 'vision-sweep');
    await createExperiment(server(), 'nlp-baseline');
    await createRun(server(), vision, { name: 'resnet-1' });
    await createRun(server(), vision, { name: 'resnet-2' });

    const { user } = renderApp('/experiments');
    const table = await screen.findByRole('table', { name: 'Experiments' });
    const row = within(table).getByRole('link', { name: 'vision-sweep' }).closest('tr')!;
    expect(within(row).getByText('2')).toBeInTheDocument();

    await user.type(screen.getByRole('searchbox', { name: 'Filter experiments' }), 'nlp');
    expect(within(table).queryByRole('link', { name: 'vision-sweep' })).not.toBeInTheDocument();
    expect(within(table).getByRole('link', { name: 'nlp-baseline' })).toBeInTheDocument();

    await user.clear(screen.getByRole('searchbox', { name: 'Filter experiments' }));
    await user.type(screen.getByRole('searchbox', { name: 'Filter experiments' }), 'zzz');
    expect(within(table).getByText('No experiment matches “zzz”.')).toBeInTheDocument();

    await user.clear(screen.getByRole('searchbox', { name: 'Filter experiments' }));
    await user.click(within(table).getByRole('link', { name: 'vision-sweep' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'vision-sweep' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'resnet-1' })).toBeInTheDocument();
  });
});
