import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { setViewportHeight } from '../../../test-support/layout.js';
import { FakeIntersectionObserver } from '../../../test-support/observers.js';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, seedChildren, seedRun } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';

const server = startTestServer();

let experimentId = '';
beforeAll(async () => {
  experimentId = await createExperiment(server(), 'tree');
  const big = await seedRun(server(), experimentId, { name: 'big', startTime: 3_000 });
  await seedChildren(server(), big, 130);
  const wide = await seedRun(server(), experimentId, { name: 'wide', startTime: 2_000 });
  await seedChildren(server(), wide, 120);
  const small = await seedRun(server(), experimentId, { name: 'small', startTime: 1_000 });
  const [first] = await seedChildren(server(), small, 1);
  await seedChildren(server(), first!, 2);
});

const table = () => screen.findByRole('table', { name: 'Runs' });
const rowOf = async (name: string) => (await within(await table()).findByRole('link', { name })).closest('tr')!;
/** Child runs on screen named `<parent>-<n>` (by text: role queries over 100+ rows are slow in jsdom). */
const childLinks = (parent: string) => within(screen.getByRole('table', { name: 'Runs' })).queryAllByText(new RegExp(`^${parent}-\\d+$`), { selector: 'a' });
/** The Load more line under `parent`, found by its text, and its button. */
async function loadMore(parent: string, shown: string) {
  const row = (await screen.findByText(shown)).closest('tr')!;
  // dom-accessibility-api drops the space before the visually hidden " of <parent>"; browsers keep it.
  return within(row).getByRole('button', { name: new RegExp(`^Load more child runs ?of ${parent}$`) });
}

describe('tree rows of the run explorer', () => {
  it('shows 100 children of an expanded run, then the rest with Load more', async () => {
    // Tall enough for every row of the first page to be on screen (the table is virtualised).
    setViewportHeight(6000);
    const { user } = renderApp(`/experiments/${experimentId}`);
    const parent = await rowOf('big');
    expect(within(parent).getByText('130')).toBeInTheDocument();
    await user.click(within(parent).getByRole('button', { name: 'Show child runs' }));
    expect(within(parent).getByRole('button', { name: 'Hide child runs' })).toHaveAttribute('aria-expanded', 'true');

    const more = await loadMore('big', '100 of 130 shown');
    expect(childLinks('big')).toHaveLength(100);
    expect(within(await table()).getAllByText(', child run at level 2')).toHaveLength(100);

    await user.click(more);
    await waitFor(() => expect(childLinks('big')).toHaveLength(130));
    expect(screen.queryByText(/Load more child runs/)).not.toBeInTheDocument();

    await user.click(within(await rowOf('big')).getByRole('button', { name: 'Hide child runs' }));
    await waitFor(() => expect(childLinks('big')).toHaveLength(0));
    // Opened again, the loaded pages come back at once from the cache.
    await user.click(within(await rowOf('big')).getByRole('button', { name: 'Show child runs' }));
    expect(childLinks('big')).toHaveLength(130);
  });

  it('loads the next page by itself when the Load more line scrolls into view', async () => {
    setViewportHeight(6000);
    const { user } = renderApp(`/experiments/${experimentId}`);
    await user.click(within(await rowOf('wide')).getByRole('button', { name: 'Show child runs' }));
    const more = await loadMore('wide', '100 of 120 shown');
    expect(childLinks('wide')).toHaveLength(100);
    FakeIntersectionObserver.enterView(more);
    await waitFor(() => expect(childLinks('wide')).toHaveLength(120));
  });

  it('nests grandchildren under their parent, depth first, and keeps the tree while re-sorting', async () => {
    const { user } = renderApp(`/experiments/${experimentId}`);
    await user.click(within(await rowOf('small')).getByRole('button', { name: 'Show child runs' }));
    const child = await rowOf('small-1');
    await user.click(within(child).getByRole('button', { name: 'Show child runs' }));
    await waitFor(() => expect(childLinks('small-1')).toHaveLength(2));
    const names = () => within(screen.getByRole('table', { name: 'Runs' })).getAllByRole('link').map((a) => a.textContent).filter((t) => t?.startsWith('small'));
    expect(names()).toEqual(['small', 'small-1', expect.stringMatching(/^small-1-\d$/), expect.stringMatching(/^small-1-\d$/)]);
    expect(within(await table()).getAllByText(', child run at level 3')).toHaveLength(2);

    await user.click(within(screen.getByRole('columnheader', { name: /Name/ })).getByRole('button'));
    await waitFor(() => expect(within(screen.getByRole('columnheader', { name: /Name/ })).getByRole('button').closest('th')).toHaveAttribute('aria-sort', 'ascending'));
    await waitFor(() => expect(names()).toEqual(['small', 'small-1', 'small-1-1', 'small-1-2']));
  });
});
