import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointPath, endpoints } from '../../../../shared/api/index.js';
import { NO_EMAIL_REASON } from '../../../lib/queries/notification-queries.js';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';
import { refusingUrl, seedRule, sendTest, storedRules, webhookReceiver } from '../../../test-support/notifications.js';

// Local mode (the caller is an admin) and no --smtp-url: webhooks only.
const server = startTestServer();

let experimentId = '';
beforeAll(async () => {
  experimentId = await createExperiment(server(), 'mnist');
});

const ruleCard = (name: string) => screen.findByRole('article', { name });

describe('the notifications page', () => {
  it('lists each rule with what it watches, where it sends and how its deliveries stand', async () => {
    const receiver = await webhookReceiver();
    const slack = await seedRule(server(), {
      name: 'Nightly to Slack',
      scope: { kind: 'experiment', experimentId },
      events: ['FINISHED', 'FAILED'],
      stalledMinutes: 30,
      channel: { kind: 'webhook', url: receiver.url, format: 'slack' },
    });
    expect((await sendTest(server(), slack.rule.id)).state).toBe('sent');
    const broken = await seedRule(server(), { name: 'Big losses', scope: { kind: 'filter', filter: 'metrics.loss > 1' }, events: ['KILLED'], channel: { kind: 'webhook', url: await refusingUrl() } });
    expect((await sendTest(server(), broken.rule.id)).state).toBe('failed');
    await receiver.stop();

    renderApp('/notifications');
    expect(await screen.findByRole('heading', { level: 1, name: 'Notifications' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Notifications' })).toHaveAttribute('aria-current', 'page');
    const nightly = await ruleCard('Nightly to Slack');
    expect(await within(nightly).findByRole('link', { name: 'mnist' })).toHaveAttribute('href', `/experiments/${experimentId}`);
    expect(nightly).toHaveTextContent('Experiment mnist');
    expect(nightly).toHaveTextContent('Completed, Failed, Stalled after 30 min');
    expect(nightly).toHaveTextContent(`Webhook ${receiver.url}Slack`);
    expect(nightly).toHaveTextContent('0 pending · 1 sent · 0 failed');
    expect(nightly).toHaveTextContent(/Last: Test Sent/);
    expect(within(nightly).queryByText('Paused')).not.toBeInTheDocument();

    const losses = await ruleCard('Big losses');
    expect(losses).toHaveTextContent('Runs matching metrics.loss > 1');
    expect(losses).toHaveTextContent('Canceled');
    expect(losses).toHaveTextContent('0 pending · 0 sent · 1 failed');
    expect(losses).toHaveTextContent(/Last: Test Failed.*ECONNREFUSED/);
  });

  it('adds a webhook rule and shows its signing secret once', async () => {
    const { user } = renderApp('/notifications');
    await user.click(await screen.findByRole('button', { name: 'Add rule' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add rule' });
    // No --smtp-url: E-mail stays in view, disabled, saying why; Webhook is chosen.
    const email = within(dialog).getByRole('radio', { name: 'E-mail' });
    expect(email).toHaveAttribute('aria-disabled', 'true');
    expect(email).toHaveAccessibleDescription(NO_EMAIL_REASON);
    await user.click(email);
    expect(email).not.toBeChecked();
    expect(within(dialog).getByRole('radio', { name: 'Webhook' })).toBeChecked();

    await user.type(within(dialog).getByRole('textbox', { name: 'Rule name' }), 'Mine to chat');
    await user.click(within(dialog).getByRole('radio', { name: 'Runs I submitted' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Canceled' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'Stalled' }));
    await user.clear(within(dialog).getByRole('spinbutton', { name: 'Minutes without activity' }));
    await user.type(within(dialog).getByRole('spinbutton', { name: 'Minutes without activity' }), '45');
    await user.type(within(dialog).getByRole('textbox', { name: 'Webhook URL' }), 'http://127.0.0.1:9/chat');
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Format' }), 'slack');
    await user.click(within(dialog).getByRole('button', { name: 'Add rule' }));

    const secretDialog = await screen.findByRole('dialog', { name: 'Signing secret of “Mine to chat”' });
    const secret = within(secretDialog).getByRole('textbox', { name: 'Webhook signing secret' });
    expect((secret as HTMLInputElement).value).toMatch(/^whsec_/);
    expect(secretDialog).toHaveAccessibleDescription('Copy it now: it is not shown again.');
    expect(secretDialog).toHaveTextContent('HMAC-SHA256');
    await user.click(within(secretDialog).getByRole('button', { name: 'Copy' }));
    expect(await within(secretDialog).findByRole('button', { name: 'Copied' })).toBeInTheDocument();
    await user.click(within(secretDialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // The form that opened it is gone: focus is on the page's heading, not lost to the body.
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Notifications' })).toHaveFocus());

    const card = await ruleCard('Mine to chat');
    expect(card).toHaveTextContent('Runs I submitted');
    expect(card).toHaveTextContent('Completed, Failed, Stalled after 45 min');
    expect(card).toHaveTextContent('Nothing sent yet');
    expect(screen.queryByDisplayValue(/^whsec_/)).not.toBeInTheDocument();
    const stored = (await storedRules(server())).find((r) => r.name === 'Mine to chat');
    expect(stored).toMatchObject({ scope: { kind: 'mine' }, events: ['FINISHED', 'FAILED'], stalledMinutes: 45, channel: { kind: 'webhook', url: 'http://127.0.0.1:9/chat', format: 'slack' } });
  });

  it('shows the server’s refusal of a field in the dialog, which stays open', async () => {
    const { user } = renderApp('/notifications');
    await user.click(await screen.findByRole('button', { name: 'Add rule' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add rule' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Rule name' }), 'Bad filter');
    await user.click(within(dialog).getByRole('radio', { name: 'Runs matching a filter' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Filter (MLflow search syntax)' }), 'metrics.loss >>> 1');
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'In experiment (optional)' }), 'mnist');
    await user.type(within(dialog).getByRole('textbox', { name: 'Webhook URL' }), 'http://127.0.0.1:9/x');
    await user.click(within(dialog).getByRole('button', { name: 'Add rule' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/scope\.filter/);
    expect((await storedRules(server())).map((r) => r.name)).not.toContain('Bad filter');
  });

  it('sends a test and says how it went: sent, or the receiver’s error', async () => {
    const receiver = await webhookReceiver();
    await seedRule(server(), { name: 'Test me', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url: receiver.url } });
    await seedRule(server(), { name: 'Nobody home', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url: await refusingUrl() } });
    const { user } = renderApp('/notifications');

    const ok = await ruleCard('Test me');
    expect(ok).toHaveTextContent('All runs');
    await user.click(within(ok).getByRole('button', { name: 'Send a test' }));
    expect(await screen.findByText('Test sent')).toBeInTheDocument();
    expect(receiver.requests[0]!.json).toMatchObject({ type: 'test', rule: { name: 'Test me' } });
    await waitFor(() => expect(ok).toHaveTextContent('0 pending · 1 sent · 0 failed'));

    const refused = await ruleCard('Nobody home');
    await user.click(within(refused).getByRole('button', { name: 'Send a test' }));
    expect(await screen.findByText(/^Test not sent: .*ECONNREFUSED/)).toBeInTheDocument();
    await waitFor(() => expect(refused).toHaveTextContent(/Last: Test Failed.*ECONNREFUSED/));
    await receiver.stop();
  });

  it('pauses and resumes a rule, shows its deliveries and deletes it', async () => {
    const receiver = await webhookReceiver();
    const { rule } = await seedRule(server(), { name: 'Toggle me', scope: { kind: 'all' }, events: ['FINISHED'], channel: { kind: 'webhook', url: receiver.url } });
    await sendTest(server(), rule.id);
    await receiver.stop();
    const { user } = renderApp('/notifications');
    const card = await ruleCard('Toggle me');

    await user.click(within(card).getByRole('button', { name: 'Pause' }));
    expect(within(card).getByText('Paused')).toBeInTheDocument();
    await waitFor(async () => expect((await storedRules(server())).find((r) => r.id === rule.id)?.paused).toBe(true));
    const resume = await within(card).findByRole('button', { name: 'Resume' });
    // Shown at once (optimistic), and usable once the server has answered.
    await waitFor(() => expect(resume).toBeEnabled());
    await user.click(resume);
    await waitFor(async () => expect((await storedRules(server())).find((r) => r.id === rule.id)?.paused).toBe(false));
    expect(within(card).queryByText('Paused')).not.toBeInTheDocument();

    const disclosure = within(card).getByRole('button', { name: 'Deliveries' });
    expect(disclosure).toHaveAttribute('aria-expanded', 'false');
    await user.click(disclosure);
    expect(disclosure).toHaveAttribute('aria-expanded', 'true');
    const table = await within(card).findByRole('table', { name: 'Deliveries of Toggle me' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent(/^Test—Sent1—/);

    await user.click(within(card).getByRole('button', { name: 'Delete' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete rule “Toggle me”?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete rule' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Toggle me' })).not.toBeInTheDocument());
    expect((await storedRules(server())).map((r) => r.id)).not.toContain(rule.id);
    expect(screen.getByRole('heading', { level: 1, name: 'Notifications' })).toHaveFocus();
  });

  it('a pause the server refuses (the rule was deleted elsewhere) shows why, and leaves the other rules as they are', async () => {
    const receiver = await webhookReceiver();
    const { rule: gone } = await seedRule(server(), { name: 'Deleted elsewhere', scope: { kind: 'all' }, events: ['FINISHED'], channel: { kind: 'webhook', url: receiver.url } });
    await seedRule(server(), { name: 'Still here', scope: { kind: 'all' }, events: ['FINISHED'], channel: { kind: 'webhook', url: receiver.url } });
    await receiver.stop();
    const { user } = renderApp('/notifications');
    const card = await ruleCard('Deleted elsewhere');
    const other = await ruleCard('Still here');
    expect((await server().app.inject({ method: 'DELETE', url: endpointPath(endpoints.notifications.delete, { id: gone.id }) })).statusCode).toBe(200);
    await user.click(within(card).getByRole('button', { name: 'Pause' }));
    await user.click(within(other).getByRole('button', { name: 'Pause' }));
    // The refused one shows its server's message and is not Paused; the other stays paused.
    expect(await screen.findByText(/No notification rule with id/)).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Deleted elsewhere' })).not.toBeInTheDocument());
    expect(within(await ruleCard('Still here')).getByText('Paused')).toBeInTheDocument();
  });
});
