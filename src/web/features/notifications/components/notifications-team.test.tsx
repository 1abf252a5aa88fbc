import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointPath, endpoints } from '../../../../shared/api/index.js';
import { NO_OWN_EMAIL_REASON, OWN_EMAIL_NOTE } from '../../../lib/queries/notification-queries.js';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';
import { asUser, seedUser, signInAs } from '../../../test-support/team.js';
import { seedRule, sendTest, storedRules } from '../../../test-support/notifications.js';
import { WEBHOOK_ADMINS_ONLY } from './notifications-page.js';
import { WEBHOOK_LOCKED } from './rule-item.js';

// A team server that sends e-mail (nothing listens there: adding a rule sends nothing).
const server = startTestServer({ auth: 'team', smtpUrl: 'smtp://127.0.0.1:9' });

beforeAll(async () => {
  await seedUser(server(), 'ada', 'admin', 'ada@example.com');
  await seedUser(server(), 'rita', 'reader', 'rita@example.com');
  await seedUser(server(), 'nora', 'reader');
  await createExperiment(asUser(server(), 'ada'), 'vision');
  await seedRule(asUser(server(), 'ada'), { name: 'Ada’s hook', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url: 'http://127.0.0.1:9/ada' } });
});

describe('the notifications page of a team server', () => {
  it('lets a reader add an e-mail rule to their account address, shown read-only, with Webhook disabled saying why', async () => {
    await signInAs(server(), 'rita');
    const { user } = renderApp('/notifications');
    expect(await screen.findByText(/No rules yet/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add rule' });
    const webhook = within(dialog).getByRole('radio', { name: 'Webhook' });
    await waitFor(() => expect(webhook).toHaveAccessibleDescription(WEBHOOK_ADMINS_ONLY));
    expect(webhook).toHaveAttribute('aria-disabled', 'true');
    await user.click(webhook);
    expect(webhook).not.toBeChecked();
    expect(within(dialog).getByRole('radio', { name: 'E-mail' })).toBeChecked();
    expect(within(dialog).queryByRole('textbox', { name: 'Webhook URL' })).not.toBeInTheDocument();

    await user.type(within(dialog).getByRole('textbox', { name: 'Rule name' }), 'My vision runs');
    await user.click(within(dialog).getByRole('radio', { name: 'One experiment' }));
    await user.selectOptions(await within(dialog).findByRole('combobox', { name: 'Experiment' }), 'vision');
    // The server sends a reader's rules to their own address only: shown, not asked.
    const address = within(dialog).getByRole('textbox', { name: 'E-mail address' });
    expect(address).toHaveValue('rita@example.com');
    expect(address).toHaveAttribute('readonly');
    expect(address).toHaveAccessibleDescription(OWN_EMAIL_NOTE);
    await user.type(address, 'x');
    expect(address).toHaveValue('rita@example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Add rule' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    const card = await screen.findByRole('article', { name: 'My vision runs' });
    expect(card).toHaveTextContent('E-mail to rita@example.com');
    expect(await within(card).findByRole('link', { name: 'vision' })).toBeInTheDocument();
    // A reader sees their own rules only.
    expect(screen.queryByRole('article', { name: 'Ada’s hook' })).not.toBeInTheDocument();
    expect((await storedRules(asUser(server(), 'rita'))).map((r) => [r.name, r.owner])).toEqual([['My vision runs', 'rita']]);
  });

  it('disables E-mail for a reader without an address, saying why', async () => {
    await signInAs(server(), 'nora');
    const { user } = renderApp('/notifications');
    expect(await screen.findByText(NO_OWN_EMAIL_REASON)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add rule' });
    const email = within(dialog).getByRole('radio', { name: 'E-mail' });
    expect(email).toHaveAttribute('aria-disabled', 'true');
    expect(email).toHaveAccessibleDescription(NO_OWN_EMAIL_REASON);
    expect(within(dialog).queryByRole('textbox', { name: 'E-mail address' })).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Add rule' })).toBeDisabled();
  });

  it('lets a demoted admin pause and delete their webhook rule, but not test or resume it', async () => {
    await seedUser(server(), 'dora', 'admin', 'dora@example.com');
    await seedRule(asUser(server(), 'dora'), { name: 'Dora’s hook', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url: 'http://127.0.0.1:9/dora' } });
    const demoted = await asUser(server(), 'ada').app.inject({ method: 'PATCH', url: endpointPath(endpoints.users.update, { name: 'dora' }), payload: { role: 'reader' } });
    expect(demoted.statusCode, demoted.body).toBe(200);
    await signInAs(server(), 'dora');
    const { user } = renderApp('/notifications');
    const card = await screen.findByRole('article', { name: 'Dora’s hook' });
    const test = within(card).getByRole('button', { name: 'Send a test' });
    expect(test).toHaveAttribute('aria-disabled', 'true');
    expect(test).toHaveAccessibleDescription(WEBHOOK_LOCKED);
    await user.click(test);
    expect(within(card).getByRole('button', { name: 'Send a test' })).toBeInTheDocument();

    await user.click(within(card).getByRole('button', { name: 'Pause' }));
    await waitFor(async () => expect((await storedRules(asUser(server(), 'dora')))[0]?.paused).toBe(true));
    const resume = await within(card).findByRole('button', { name: 'Resume' });
    expect(resume).toHaveAttribute('aria-disabled', 'true');
    expect(resume).toHaveAccessibleDescription(WEBHOOK_LOCKED);
    await user.click(resume);
    expect((await storedRules(asUser(server(), 'dora')))[0]?.paused).toBe(true);

    await user.click(within(card).getByRole('button', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete rule' }));
    await waitFor(async () => expect(await storedRules(asUser(server(), 'dora'))).toEqual([]));
  });

  it('says so when a user has sent ten tests in a minute', async () => {
    await seedUser(server(), 'tess', 'reader', 'tess@example.com');
    const { rule } = await seedRule(asUser(server(), 'tess'), { name: 'Tess tests', scope: { kind: 'mine' }, events: ['FAILED'], channel: { kind: 'email', to: 'tess@example.com' } });
    for (let i = 0; i < 10; i++) await sendTest(asUser(server(), 'tess'), rule.id);
    await signInAs(server(), 'tess');
    const { user } = renderApp('/notifications');
    const card = await screen.findByRole('article', { name: 'Tess tests' });
    await user.click(within(card).getByRole('button', { name: 'Send a test' }));
    expect(await screen.findByText(/^At most 10 tests a minute: try again in \d+ seconds\.$/)).toBeInTheDocument();
  });

  it('shows an admin everyone’s rules, naming the owner of others’, and a free address prefilled with their own', async () => {
    await seedRule(asUser(server(), 'rita'), { name: 'Rita’s own', scope: { kind: 'mine' }, events: ['FINISHED'], channel: { kind: 'email', to: 'rita@example.com' } });
    await signInAs(server(), 'ada');
    const { user } = renderApp('/notifications');
    const ritas = await screen.findByRole('article', { name: 'Rita’s own' });
    expect(ritas).toHaveTextContent('by rita');
    expect(ritas).toHaveTextContent('Runs rita submitted');
    const own = await screen.findByRole('article', { name: 'Ada’s hook' });
    expect(own).not.toHaveTextContent('by ada');
    expect(within(own).getByRole('button', { name: 'Send a test' })).not.toHaveAttribute('aria-disabled');

    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    const address = within(await screen.findByRole('dialog', { name: 'Add rule' })).getByRole('textbox', { name: 'E-mail address' });
    expect(address).toHaveValue('ada@example.com');
    expect(address).not.toHaveAttribute('readonly');
  });
});
