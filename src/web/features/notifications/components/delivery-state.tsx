import type { Delivery, DeliveryState, NotificationRule } from '../../../../shared/studio/notifications.js';
import { TimeAgo } from '../../../components/time-ago.js';
import styles from './notifications.module.css';

const stateWords: Record<DeliveryState, string> = { pending: 'Pending', sent: 'Sent', failed: 'Failed' };

/** A delivery's state: its word beside its colour. */
export function DeliveryBadge({ state }: { state: DeliveryState }) {
  return (
    <span className={`${styles.badge} ${styles[state]}`} data-state={state}>
      <span className={styles.dot} aria-hidden="true" />
      {stateWords[state]}
    </span>
  );
}

const typeWords: Record<string, string> = {
  test: 'Test',
  'run.running': 'Running',
  'run.completed': 'Completed',
  'run.failed': 'Failed',
  'run.canceled': 'Canceled',
  'run.stalled': 'Stalled',
};

/** What a delivery told about, in words ("Completed", "Test"); an unknown type as the server names it. */
export const deliveryTypeText = (type: string) => typeWords[type] ?? type;

/** When a delivery happened: sent, or else when its event was recorded. */
export const deliveryTime = (d: Delivery) => d.sentAt ?? d.createdAt;

/** How a rule's deliveries stand: counts, and the last one with its time and error. */
export function DeliverySummary({ deliveries }: { deliveries: NotificationRule['deliveries'] }) {
  const { pending, sent, failed, last } = deliveries;
  if (last === null) return <span className={styles.muted}>Nothing sent yet</span>;
  return (
    <span className={styles.summary}>
      <span>
        {pending} pending · {sent} sent · {failed} failed
      </span>
      <span className={styles.last}>
        Last: {deliveryTypeText(last.type)} <DeliveryBadge state={last.state} /> <TimeAgo ms={deliveryTime(last)} />
        {last.lastError !== null && <span className={styles.errorText}> — {last.lastError}</span>}
      </span>
    </span>
  );
}
