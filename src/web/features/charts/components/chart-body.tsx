import { lazy, Suspense } from 'react';
import type { ChartPanel } from '../../../../shared/studio/explorer-state.js';
import type { PlottedRun } from '../../../lib/run-colors.js';
import styles from './charts.module.css';

/** Chart code (recharts) loads only once a chart is on screen. */
const PanelBody = lazy(() => import('./panel-bodies.js'));

/**
 * One chart's body, by kind, loading its code on first use: in the panels above the run
 * table (with controls: `onChange`) and on the compare page (without).
 */
export function ChartBody({ panel, plotted, onChange }: { panel: ChartPanel; plotted: PlottedRun[]; onChange?: (panel: ChartPanel) => void }) {
  return (
    <Suspense fallback={<p className={styles.muted} role="status">Loading chart…</p>}>
      <PanelBody panel={panel} plotted={plotted} {...(onChange ? { onChange } : {})} />
    </Suspense>
  );
}
