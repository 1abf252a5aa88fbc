import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { ML } from '../../../../server/test-support/backends.js';
import { endpointPath, endpoints } from '../../../../shared/api/index.js';
import { FakeEventSource } from '../../../test-support/observers.js';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, seedRun } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';
import { asUser, seedUser, signInAs } from '../../../test-support/team.js';

const server = startTestServer({ auth: 'team' });
const as = (name: string) => asUser(server(), name);

let experimentId = '';
beforeAll(async () => {
  for (const name of ['alice', 'bob', 'carol', 'dave']) await seedUser(server(), name, 'contributor');
  experimentId = await createExperiment(as('alice'), 'activity');
});

const activityList = () => screen.findByRole('list', { name: 'Activity' });
const entries = async () => within(await activityList()).getAllByRole('listitem').map((li) => li.textContent ?? '');

describe('the run page’s activity', () => {
  it('says when nobody changed the run', async () => {
    const runId = await seedRun(as('alice'), experimentId, { name: 'untouched' });
    await signInAs(server(), 'alice');
    renderApp(`/runs/${runId}`);
    expect(await screen.findByRole('heading', { name: 'Activity' })).toBeInTheDocument();
    expect(await screen.findByText('No changes yet.')).toBeInTheDocument();
  });

  it('lists who renamed, described, tagged and cancelled the run, newest first, as plain text', async () => {
    const runId = await seedRun(as('alice'), experimentId, { name: 'trial', status: 'RUNNING' });
    const ok = (res: { status: number; body: unknown }) => expect(res.status, JSON.stringify(res.body)).toBe(200);
    ok(await as('alice').post(`${ML}/runs/update`, { run_id: runId, run_name: '<img src=x onerror=alert(1)>' }));
    ok(await as('bob').post(`${ML}/runs/set-tag`, { run_id: runId, key: 'sweep', value: '' }));
    ok(await as('bob').post(`${ML}/runs/delete-tag`, { run_id: runId, key: 'sweep' }));
    ok(await as('carol').post(`${ML}/runs/set-tag`, { run_id: runId, key: 'mlflow.note.content', value: 'why' }));
    ok(await as('dave').post(endpointPath(endpoints.control.cancel, { id: runId }), {}));

    await signInAs(server(), 'alice');
    renderApp(`/runs/${runId}`);
    await waitFor(async () => expect(await entries()).toHaveLength(5));
    const texts = (await entries()).map((t) => t.replace(/\s+/g, ' '));
    expect(texts[0]).toMatch(/^dave cancelled it /);
    expect(texts[1]).toMatch(/^carol edited the description /);
    expect(texts[2]).toMatch(/^bob removed tag sweep /);
    expect(texts[3]).toMatch(/^bob tagged it sweep /);
    expect(texts[4]).toMatch(/^alice renamed it to “<img src=x onerror=alert\(1\)>” /);
    // Each with a relative time; the markup-looking name stayed text.
    expect(within(await activityList()).getAllByRole('listitem')[0]!.querySelector('time')).toHaveTextContent(/now|second/);
    expect(document.querySelector('img[src="x"]')).toBeNull();
  });

  it('says who marked the run failed', async () => {
    const runId = await seedRun(as('alice'), experimentId, { name: 'stuck', status: 'RUNNING' });
    const failed = await as('dave').post(endpointPath(endpoints.control.fail, { id: runId }), { reason: 'hung on <stdin>' });
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    await signInAs(server(), 'alice');
    renderApp(`/runs/${runId}`);
    expect(await activityList()).toHaveTextContent(/^dave marked it failed/);
  });

  it('reads the activity again when the run’s event says it changed', async () => {
    const runId = await seedRun(as('alice'), experimentId, { name: 'live' });
    await signInAs(server(), 'alice');
    renderApp(`/runs/${runId}`);
    expect(await screen.findByText('No changes yet.')).toBeInTheDocument();
    const find = () => [...FakeEventSource.instances].find((s) => s.url.includes(endpointPath(endpoints.events.stream)));
    await waitFor(() => expect(find()).toBeDefined());
    const stream = find()!;
    stream.emit('ready', {});

    await as('bob').post(`${ML}/runs/set-tag`, { run_id: runId, key: 'best', value: '' });
    stream.emit('run', { kind: 'updated', runId, experimentId, fields: ['tags'] });
    expect(await activityList()).toHaveTextContent('bob tagged it best');
  });
});
