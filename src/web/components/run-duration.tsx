import { useEffect, useState } from 'react';
import { isLive } from '../../shared/run-status.js';
import type { StudioRun } from '../../shared/studio/runs.js';
import { duration } from '../lib/format.js';
import styles from './run-duration.module.css';

/** The time now, once a second while `active` (a live duration ticks); frozen otherwise. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/**
 * Run time so far for a live run, total run time for an ended one; a queued run has none
 * yet. Used by the run table, the run header and the child-runs tab.
 */
export function RunDuration({ run }: { run: Pick<StudioRun, 'status' | 'startTime' | 'endTime'> }) {
  const live = run.endTime === null && isLive(run.status);
  const now = useNow(live);
  if (run.status === 'SCHEDULED') return <span className={styles.none}>—</span>;
  const end = run.endTime ?? (live ? now : null);
  return <span className="num">{end === null ? '—' : duration(end - run.startTime)}</span>;
}
