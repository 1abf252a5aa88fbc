import { lazy, Suspense, useId, useState } from 'react';
import type { Run } from '../../../../shared/mlflow/types.js';
import { metricValue } from '../../../lib/format.js';
import styles from './run-details.module.css';

const MetricCharts = lazy(() => import('./metric-charts.js'));

/** Metrics: a chart per metric over step or wall time, and the latest values. */
export function MetricsTab({ run }: { run: Run }) {
  const id = useId();
  const [x, setX] = useState<'step' | 'time'>('step');
  const keys = run.data.metrics.map((m) => m.key);
  const live = run.info.status === 'RUNNING';
  if (keys.length === 0) return <p className={styles.muted}>This run has logged no metrics.</p>;
  return (
    <>
      <section className={styles.section} aria-labelledby={`${id}-charts`}>
        <div className={styles.sectionHead}>
          <h2 id={`${id}-charts`}>Charts</h2>
          <div role="radiogroup" aria-label="Horizontal axis" style={{ display: 'flex', gap: '0.75rem', fontSize: '0.875rem' }}>
            {(['step', 'time'] as const).map((value) => (
              <label key={value} style={{ display: 'inline-flex', gap: '0.25rem' }}>
                <input type="radio" name={`${id}-x`} checked={x === value} onChange={() => setX(value)} />
                {value === 'step' ? 'Step' : 'Wall time'}
              </label>
            ))}
          </div>
        </div>
        <Suspense fallback={<p role="status">Loading charts…</p>}>
          <MetricCharts runId={run.info.run_id} keys={keys} x={x} live={live} />
        </Suspense>
      </section>
      <section className={styles.section} aria-labelledby={`${id}-latest`}>
        <div className={styles.sectionHead}>
          <h2 id={`${id}-latest`}>Latest values</h2>
        </div>
        <table className={styles.kvTable} aria-labelledby={`${id}-latest`}>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Value</th>
              <th scope="col">Step</th>
              <th scope="col">Logged</th>
            </tr>
          </thead>
          <tbody>
            {run.data.metrics.map((m) => (
              <tr key={m.key}>
                <td>{m.key}</td>
                <td className="num">{metricValue(m.value)}</td>
                <td className="num">{m.step}</td>
                <td>{new Date(m.timestamp).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
