import { screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, logHistory, seedRun } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';

const server = startTestServer();

const ids: string[] = [];
beforeAll(async () => {
  const experimentId = await createExperiment(server(), 'compare');
  ids.push(await seedRun(server(), experimentId, { name: 'left', params: { lr: '0.1', seed: '1' }, tags: { team: 'vision' } }));
  ids.push(await seedRun(server(), experimentId, { name: 'right', params: { lr: '0.01', seed: '1' }, tags: { team: 'vision', note: '' } }));
  await logHistory(server(), ids[0]!, 'loss', [1, 0.5]);
  await logHistory(server(), ids[1]!, 'loss', [0.9, 0.3]);
});

describe('the compare page', () => {
  it('shows properties, tags and latest metrics side by side, and a chart per metric', async () => {
    const { user, location } = renderApp(`/compare?runs=${ids.join(',')}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Compare 2 runs' })).toBeInTheDocument();
    const props = screen.getByRole('table', { name: 'Properties' });
    expect(within(props).getByRole('row', { name: /^lr ?\(differs\) 0\.1 0\.01$/ })).toHaveAttribute('data-differs', 'true');
    expect(within(props).getByRole('row', { name: 'seed 1 1' })).toHaveAttribute('data-differs', 'false');
    expect(within(screen.getByRole('table', { name: 'Tags' })).getByRole('row', { name: /^note ?\(differs\) — no value$/ })).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Latest metrics' })).getByRole('row', { name: /^loss ?\(differs\) 0\.5 0\.3$/ })).toBeInTheDocument();
    expect(await screen.findByRole('figure', { name: 'loss over step' })).toBeInTheDocument();

    await user.click(screen.getByRole('checkbox', { name: 'Only differences' }));
    expect(within(screen.getByRole('table', { name: 'Properties' })).queryByRole('row', { name: 'seed 1 1' })).not.toBeInTheDocument();
    expect(location().search).toMatchObject({ diff: true });

    await user.click(within(screen.getByRole('navigation', { name: 'Compared runs' })).getByRole('link', { name: 'left' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'left' })).toBeInTheDocument();
  });

  it('says how to choose runs when fewer than two are given', async () => {
    renderApp(`/compare?runs=${ids[0]}`);
    const hint = await screen.findByText(/Select two or more runs in/);
    expect(within(hint).getByRole('link', { name: 'All runs' })).toBeInTheDocument();
  });

  it('says when some chosen runs no longer exist', async () => {
    renderApp(`/compare?runs=${[...ids, 'a'.repeat(32)].join(',')}`);
    expect(await screen.findByText('1 of the chosen runs no longer exist.')).toBeInTheDocument();
  });
});
