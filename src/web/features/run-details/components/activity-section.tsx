import { useId } from 'react';
import type { Activity } from '../../../../shared/studio/auth.js';
import { TimeAgo } from '../../../components/time-ago.js';
import { useRunActivity } from '../api/run-activity.js';
import styles from './run-details.module.css';

/** What someone did, after their name: plain text, so a name or tag that looks like markup stays text. */
function whatHappened(entry: Activity): string {
  switch (entry.action) {
    case 'renamed':
      return `renamed it to “${entry.detail ?? ''}”`;
    case 'described':
      return 'edited the description';
    case 'tagged':
      return `tagged it ${entry.detail ?? ''}`;
    case 'untagged':
      return `removed tag ${entry.detail ?? ''}`;
    case 'cancelled':
      return 'cancelled it';
    case 'failed':
      return 'marked it failed';
    case 'deleted':
      return 'deleted it';
    case 'restored':
      return 'restored it';
  }
}

/** The Overview's short history: who changed the run and when, newest first. */
export function ActivitySection({ runId }: { runId: string }) {
  const id = useId();
  const { data: activity, error, isPending } = useRunActivity(runId);
  return (
    <section className={styles.section} aria-labelledby={`${id}-title`}>
      <div className={styles.sectionHead}>
        <h2 id={`${id}-title`}>Activity</h2>
      </div>
      {isPending && <p className={`${styles.muted} ${styles.flush}`}>Loading activity…</p>}
      {error && (
        <p className={`${styles.muted} ${styles.flush}`} role="alert">
          Could not load the activity: {error.message}
        </p>
      )}
      {activity?.length === 0 && <p className={`${styles.muted} ${styles.flush}`}>No changes yet.</p>}
      {activity && activity.length > 0 && (
        <ul className={styles.activityList} aria-labelledby={`${id}-title`}>
          {activity.map((entry, i) => (
            <li key={`${entry.at}-${i}`}>
              <span>
                <strong>{entry.user}</strong> {whatHappened(entry)}
              </span>{' '}
              <span className={styles.muted}>
                <TimeAgo ms={entry.at} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
