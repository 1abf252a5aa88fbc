import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointPath, endpoints } from '../../../../shared/api/index.js';
import type { NotificationRule } from '../../../../shared/studio/notifications.js';
import { NO_EMAIL_REASON, NO_OWN_EMAIL_REASON, OWN_EMAIL_NOTE } from '../../../lib/queries/notification-queries.js';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment, seedRun } from '../../../test-support/seed.js';
import { startTestServer, type WebTestServer } from '../../../test-support/server.js';
import { asUser, seedUser, signInAs } from '../../../test-support/team.js';

const notifyMe = 'Notify me when this run ends';
const actions = () => screen.findByRole('toolbar', { name: 'Run actions' });
const storedRules = async (server: WebTestServer) => (await server.get(endpointPath(endpoints.notifications.list))).body.rules as NotificationRule[];

// Each describe starts its own server (and points the page at it) for its tests only.
describe('Notify me on a server that sends e-mail', () => {
  // Nothing listens there: adding a rule sends nothing.
  const server = startTestServer({ smtpUrl: 'smtp://127.0.0.1:9' });

  it('adds a rule on this run alone, prefilled with the address of my last e-mail rule', async () => {
    const experimentId = await createExperiment(server(), 'notify');
    const runId = await seedRun(server(), experimentId, { name: 'long-train', status: 'RUNNING' });
    const earlier = await server().post(endpointPath(endpoints.notifications.create), { name: 'Earlier', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'email', to: 'me@example.com' } });
    expect(earlier.status, JSON.stringify(earlier.body)).toBe(201);

    const { user } = renderApp(`/runs/${runId}`);
    const button = within(await actions()).getByRole('button', { name: notifyMe });
    await waitFor(() => expect(button).not.toHaveAttribute('aria-disabled'));
    await user.click(button);
    const dialog = await screen.findByRole('dialog', { name: notifyMe });
    const address = within(dialog).getByRole('textbox', { name: 'E-mail address' });
    expect(address).toHaveValue('me@example.com');
    expect(address).toHaveAccessibleDescription('One e-mail when “long-train” completes, fails or is canceled.');
    await user.clear(address);
    await user.type(address, 'ops@example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Notify me' }));

    const toast = (await screen.findByText('You will get an e-mail when “long-train” ends.')).closest('li')!;
    expect(within(toast).getByRole('link', { name: 'Notifications' })).toHaveAttribute('href', '/notifications');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const rule = (await storedRules(server())).find((r) => r.scope.kind === 'run');
    expect(rule).toMatchObject({ name: 'When long-train ends', scope: { kind: 'run', runId }, events: ['FINISHED', 'FAILED', 'KILLED'], stalledMinutes: null, channel: { kind: 'email', to: 'ops@example.com' } });
    // Asked once: the button now says it is set, instead of adding the same rule again.
    await waitFor(() => expect(button).toHaveAttribute('aria-disabled', 'true'));
    expect(button).toHaveAccessibleDescription('You already get an e-mail when this run ends (rule “When long-train ends”).');
  });

  it('is not offered once the run has ended', async () => {
    const experimentId = await createExperiment(server(), 'ended');
    const runId = await seedRun(server(), experimentId, { name: 'done' });
    renderApp(`/runs/${runId}`);
    expect(within(await actions()).getByRole('button', { name: 'Refresh' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: notifyMe })).not.toBeInTheDocument();
  });
});

describe('Notify me on a server without e-mail', () => {
  const server = startTestServer();

  it('is disabled and says why', async () => {
    const experimentId = await createExperiment(server(), 'no-mail');
    const runId = await seedRun(server(), experimentId, { name: 'quiet', status: 'RUNNING' });
    const { user } = renderApp(`/runs/${runId}`);
    const button = within(await actions()).getByRole('button', { name: notifyMe });
    await waitFor(() => expect(button).toHaveAccessibleDescription(NO_EMAIL_REASON));
    expect(button).toHaveAttribute('aria-disabled', 'true');
    await user.click(button);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});

describe('Notify me on a team server', () => {
  const server = startTestServer({ auth: 'team', smtpUrl: 'smtp://127.0.0.1:9' });
  let runId = '';

  beforeAll(async () => {
    await seedUser(server(), 'ada', 'admin', 'ada@example.com');
    await seedUser(server(), 'rita', 'reader', 'rita@example.com');
    await seedUser(server(), 'nora', 'reader');
    const experimentId = await createExperiment(asUser(server(), 'ada'), 'team-notify');
    runId = await seedRun(asUser(server(), 'ada'), experimentId, { name: 'team-train', status: 'RUNNING' });
  });

  it('sends a reader’s e-mail to their account address, shown and not asked', async () => {
    await signInAs(server(), 'rita');
    const { user } = renderApp(`/runs/${runId}`);
    const button = within(await actions()).getByRole('button', { name: notifyMe });
    await waitFor(() => expect(button).not.toHaveAttribute('aria-disabled'));
    await user.click(button);
    const dialog = await screen.findByRole('dialog', { name: notifyMe });
    expect(dialog).toHaveTextContent('One e-mail to rita@example.com when “team-train” completes, fails or is canceled.');
    expect(dialog).toHaveTextContent(OWN_EMAIL_NOTE);
    expect(within(dialog).queryByRole('textbox')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Notify me' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const rule = (await storedRules(asUser(server(), 'rita'))).find((r) => r.scope.kind === 'run');
    expect(rule).toMatchObject({ scope: { kind: 'run', runId }, channel: { kind: 'email', to: 'rita@example.com' } });
  });

  it('is disabled for a reader without an address, saying why', async () => {
    await signInAs(server(), 'nora');
    const { user } = renderApp(`/runs/${runId}`);
    const button = within(await actions()).getByRole('button', { name: notifyMe });
    await waitFor(() => expect(button).toHaveAccessibleDescription(NO_OWN_EMAIL_REASON));
    expect(button).toHaveAttribute('aria-disabled', 'true');
    await user.click(button);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('lets an admin type any address, starting from their own rather than their last rule’s', async () => {
    const earlier = await asUser(server(), 'ada').post(endpointPath(endpoints.notifications.create), { name: 'Earlier', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'email', to: 'ops@example.com' } });
    expect(earlier.status, JSON.stringify(earlier.body)).toBe(201);
    await signInAs(server(), 'ada');
    const { user } = renderApp(`/runs/${runId}`);
    const button = within(await actions()).getByRole('button', { name: notifyMe });
    await waitFor(() => expect(button).not.toHaveAttribute('aria-disabled'));
    await user.click(button);
    const address = within(await screen.findByRole('dialog', { name: notifyMe })).getByRole('textbox', { name: 'E-mail address' });
    expect(address).toHaveValue('ada@example.com');
    expect(address).not.toHaveAttribute('readonly');
  });
});
