import { screen, within } from '@testing-library/react';
import { expect } from 'vitest';
import { endpointPath, endpoints } from '../../shared/api/index.js';
import { OTHER_USER, TEST_USER } from './identity.js';
import { renderApp } from './render-app.js';
import { createExperiment, seedRun, seedView, updateViewElsewhere } from './seed.js';
import type { WebTestServer } from './server.js';

/** What the view-bar tests share: seeding, reading what the server stored, the bar itself. */
export function viewTestKit(server: () => WebTestServer) {
  /** An experiment of its own per test, so each test sees only its own views. */
  async function experimentWithRun(name: string) {
    const experimentId = await createExperiment(server(), name);
    await seedRun(server(), experimentId, { name: `${name}-run` });
    return experimentId;
  }

  async function deleteViewElsewhere(id: string) {
    const res = await server().app.inject({ method: 'DELETE', url: endpointPath(endpoints.views.get, { id }), headers: { cookie: `rs_uid=${TEST_USER}` } });
    expect(res.statusCode).toBeLessThan(300);
  }

  async function storedView(id: string) {
    const res = await server().app.inject({ method: 'GET', url: endpointPath(endpoints.views.get, { id }), headers: { cookie: `rs_uid=${TEST_USER}` } });
    return res.json<{ name: string; visibility: string; version: number; state: Record<string, unknown> }>();
  }

  const viewBar = () => screen.findByRole('group', { name: 'View' });
  const viewBarNow = () => screen.getByRole('group', { name: 'View' });
  const flatList = () => screen.getByRole('checkbox', { name: 'Flat list (child runs too)' });

  /**
   * Opens the shared view "Race" (with `state`), has another user update it, then ticks
   * "Flat list" and presses Update here: the save is now stale and answered 409.
   */
  async function updateStaleView(tag: string, state: Record<string, unknown>) {
    const experimentId = await experimentWithRun(tag);
    const view = await seedView(server(), { name: 'Race', experimentId, visibility: 'shared', state });
    const rendered = renderApp(`/experiments/${experimentId}?view=${view.id}`);
    await within(await viewBar()).findByRole('button', { name: 'View: Race' });
    await updateViewElsewhere(server(), view.id, 1, { state: { q: 'theirs' } }, OTHER_USER);
    await rendered.user.click(flatList());
    await rendered.user.click(await within(await viewBar()).findByRole('button', { name: 'Update' }));
    return { ...rendered, view };
  }

  return { experimentWithRun, deleteViewElsewhere, storedView, viewBar, viewBarNow, flatList, updateStaleView };
}
