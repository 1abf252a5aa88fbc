import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { TimeAgo } from '../../../components/time-ago.js';
import { notificationQueries } from '../../../lib/queries/notification-queries.js';
import { DeliveryBadge, deliveryTime, deliveryTypeText } from './delivery-state.js';
import styles from './notifications.module.css';

/** A rule's latest deliveries as a table, read when opened and again every 2 s while any is pending. */
export function RuleDeliveries({ ruleId, ruleName, id }: { ruleId: string; ruleName: string; id: string }) {
  const { data, error, isPending } = useQuery(notificationQueries.deliveries(ruleId));
  if (isPending) return <p id={id} className={styles.muted} role="status">Loading deliveries…</p>;
  if (error) return <p id={id} role="alert">{error.message}</p>;
  if (data.length === 0) return <p id={id} className={styles.muted}>No deliveries yet.</p>;
  return (
    <table id={id} className={styles.table} aria-label={`Deliveries of ${ruleName}`}>
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Run</th>
          <th scope="col">State</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last error</th>
          <th scope="col">Time</th>
        </tr>
      </thead>
      <tbody>
        {data.map((d) => (
          <tr key={d.id}>
            <td>{deliveryTypeText(d.type)}</td>
            <td>
              {d.runId === null ? (
                '—'
              ) : (
                <Link to="/runs/$runId" params={{ runId: d.runId }} className={styles.mono} title={d.runId}>
                  {d.runId.slice(0, 8)}
                </Link>
              )}
            </td>
            <td>
              <DeliveryBadge state={d.state} />
            </td>
            <td>{d.attempts}</td>
            <td className={styles.errorCell}>{d.lastError ?? '—'}</td>
            <td>
              <TimeAgo ms={deliveryTime(d)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
