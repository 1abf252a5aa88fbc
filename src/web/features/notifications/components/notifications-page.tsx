import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { EndpointResponse, endpoints } from '../../../../shared/api/index.js';
import { ALLOWED } from '../../../components/permission-note.js';
import { emailAccess, NO_EMAIL_REASON, NO_OWN_EMAIL_REASON, notificationQueries } from '../../../lib/queries/notification-queries.js';
import { AddRuleDialog, type ChannelAccess } from './add-rule-dialog.js';
import styles from './notifications.module.css';
import { RuleItem } from './rule-item.js';
import { WebhookSecretDialog } from './webhook-secret-dialog.js';
import { PAGE_TITLE_ID } from './page-focus.js';

/** Why a non-admin cannot pick Webhook (the server refuses them too). */
export const WEBHOOK_ADMINS_ONLY = 'Only admins add webhooks.';

/**
 * Who may add which channel, as the server says: e-mail when it sends it (a non-admin's to their
 * account address only, and not without one), webhooks for admins; each saying why when not.
 */
function channelAccess(list: EndpointResponse<typeof endpoints.notifications.list>): ChannelAccess {
  const { allowed, reason, to, fixed } = emailAccess(list);
  return { email: { allowed, reason }, webhook: list.anyAddress ? ALLOWED : { allowed: false, reason: WEBHOOK_ADMINS_ONLY }, to, fixedTo: fixed };
}

/** `/notifications`: the rules the caller sees (an admin: everyone's), their deliveries, and Add rule. */
export function NotificationsPage() {
  const { data, error, isPending } = useQuery(notificationQueries.list());
  const [created, setCreated] = useState<{ ruleName: string; secret: string } | null>(null);
  return (
    <section className={styles.page} aria-labelledby={PAGE_TITLE_ID}>
      <div className={styles.pageHead}>
        <h1 id={PAGE_TITLE_ID} tabIndex={-1}>
          Notifications
        </h1>
        {data && <AddRuleDialog access={channelAccess(data)} onCreated={(rule, secret) => secret !== null && setCreated({ ruleName: rule.name, secret })} />}
      </div>
      <p className={styles.muted}>Rules say which runs to watch, which of their changes to tell, and where: an e-mail address or a webhook.</p>
      {data && !data.email && <p className={styles.note}>{NO_EMAIL_REASON} E-mail rules cannot be added until then.</p>}
      {data && data.email && !data.anyAddress && data.ownEmail === null && <p className={styles.note}>{NO_OWN_EMAIL_REASON}</p>}
      {isPending ? (
        <p className={styles.muted} role="status">
          Loading rules…
        </p>
      ) : error ? (
        <p role="alert">Could not read the rules: {error.message}</p>
      ) : data.rules.length === 0 ? (
        <p className={styles.empty}>No rules yet. Add one, or use “Notify me when this run ends” on a running run’s page.</p>
      ) : (
        <ul className={styles.rules} aria-label="Notification rules">
          {data.rules.map((rule) => (
            <li key={rule.id}>
              <RuleItem rule={rule} anyAddress={data.anyAddress} />
            </li>
          ))}
        </ul>
      )}
      <WebhookSecretDialog created={created} onClose={() => setCreated(null)} />
    </section>
  );
}
