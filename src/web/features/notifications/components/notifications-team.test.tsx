import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderApp } from '../../../test-support/render-app.js';
import { createExperiment } from '../../../test-support/seed.js';
import { startTestServer } from '../../../test-support/server.js';
import { asUser, seedUser, signInAs } from '../../../test-support/team.js';
import { seedRule, storedRules } from '../test-support/webhook-receiver.js';
import { WEBHOOK_ADMINS_ONLY } from './notifications-page.js';

// A team server that sends e-mail (nothing listens there: adding a rule sends nothing).
const server = startTestServer({ auth: 'team', smtpUrl: 'smtp://127.0.0.1:9' });

beforeAll(async () => {
  await seedUser(server(), 'ada', 'admin');
  await seedUser(server(), 'rita', 'reader');
  await createExperiment(asUser(server(), 'ada'), 'vision');
  await seedRule(asUser(server(), 'ada'), { name: 'Ada’s hook', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url: 'http://127.0.0.1:9/ada' } });
});

describe('the notifications page of a team server', () => {
  it('lets a reader add an e-mail rule of their own, with Webhook disabled saying why', async () => {
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
    await user.type(within(dialog).getByRole('textbox', { name: 'E-mail address' }), 'rita@example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Add rule' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    const card = await screen.findByRole('article', { name: 'My vision runs' });
    expect(card).toHaveTextContent('E-mail to rita@example.com');
    expect(await within(card).findByRole('link', { name: 'vision' })).toBeInTheDocument();
    // A reader sees their own rules only.
    expect(screen.queryByRole('article', { name: 'Ada’s hook' })).not.toBeInTheDocument();
    expect((await storedRules(asUser(server(), 'rita'))).map((r) => [r.name, r.owner])).toEqual([['My vision runs', 'rita']]);
  });

  it('shows an admin everyone’s rules, naming the owner of others’', async () => {
    await seedRule(asUser(server(), 'rita'), { name: 'Rita’s own', scope: { kind: 'mine' }, events: ['FINISHED'], channel: { kind: 'email', to: 'rita@example.com' } });
    await signInAs(server(), 'ada');
    renderApp('/notifications');
    const ritas = await screen.findByRole('article', { name: 'Rita’s own' });
    expect(ritas).toHaveTextContent('by rita');
    expect(ritas).toHaveTextContent('Runs rita submitted');
    const own = await screen.findByRole('article', { name: 'Ada’s hook' });
    expect(own).not.toHaveTextContent('by ada');
  });
});
