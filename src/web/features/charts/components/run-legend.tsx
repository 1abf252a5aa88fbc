import type { PlottedRun } from '../../../lib/run-colors.js';
import styles from './charts.module.css';

/** The runs of a panel and their colours. */
export function RunLegend({ plotted }: { plotted: PlottedRun[] }) {
  return (
    <ul className={styles.legend} aria-label="Legend">
      {plotted.map(({ run, color }) => (
        <li key={run.runId}>
          <span className={styles.swatch} style={{ background: color }} aria-hidden="true" />
          {run.runName}
        </li>
      ))}
    </ul>
  );
}
