import { isLive, statusWords, type RunStatus } from '../../shared/run-status.js';
import styles from './status-badge.module.css';

/** A run's status: the studio's word beside its colour, the same on every screen. */
export function StatusBadge({ status, cancelRequested = false }: { status: RunStatus; cancelRequested?: boolean }) {
  const active = isLive(status);
  const key = cancelRequested && active ? 'CANCEL_REQUESTED' : status;
  const word = key === 'CANCEL_REQUESTED' ? 'Cancel requested' : (statusWords[status] ?? status);
  return (
    <span className={`${styles.badge} ${styles[key] ?? ''}`} data-status={key} title={key === 'CANCEL_REQUESTED' ? 'Waiting for the launcher to stop the process and confirm' : undefined}>
      <span className={styles.dot} aria-hidden="true" />
      {word}
    </span>
  );
}
