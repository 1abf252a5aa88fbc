import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ALLOWED, type Permission } from '../../../components/permission-note.js';
import { NO_EMAIL_REASON, notificationQueries } from '../../../lib/queries/notification-queries.js';
import { useCan } from '../../../lib/session.js';
import { AddRuleDialog } from './add-rule-dialog.js';
import styles from './notifications.module.css';
import { RuleItem } from './rule-item.js';
import { WebhookSecretDialog } from './webhook-secret-dialog.js';

/** Why a non-admin cannot pick Webhook (the server refuses them too). */
export const WEBHOOK_ADMINS_ONLY = 'Only admins add webhooks.';

/** Who may add which channel: e-mail when the server sends it, webhooks for admins (said why when not). */
function useChannelPermissions(email: boolean): { email: Permission; webhook: Permission } {
  const admin = useCan('admin');
  return {
    email: email ? ALLOWED : { allowed: false, reason: NO_EMAIL_REASON },
    webhook: admin.allowed ? ALLOWED : { allowed: false, reason: admin.reason === null ? null : WEBHOOK_ADMINS_ONLY },
  };
}

/** `/notifications`: the rules the caller sees (an admin: everyone's), their deliveries, and Add rule. */
export function NotificationsPage() {
  const { data, error, isPending } = useQuery(notificationQueries.list());
  const permissions = useChannelPermissions(data?.email ?? false);
  const [created, setCreated] = useState<{ ruleName: string; secret: string } | null>(null);
  return (
    <section className={styles.page} aria-labelledby="notifications-title">
      <div className={styles.pageHead}>
        <h1 id="notifications-title">Notifications</h1>
        {data && <AddRuleDialog permissions={permissions} onCreated={(rule, secret) => secret !== null && setCreated({ ruleName: rule.name, secret })} />}
      </div>
      <p className={styles.muted}>Rules say which runs to watch, which of their changes to tell, and where: an e-mail address or a webhook.</p>
      {data && !data.email && <p className={styles.note}>{NO_EMAIL_REASON} E-mail rules cannot be added until then.</p>}
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
              <RuleItem rule={rule} />
            </li>
          ))}
        </ul>
      )}
      <WebhookSecretDialog created={created} onClose={() => setCreated(null)} />
    </section>
  );
}
