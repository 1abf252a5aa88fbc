import { lazy, Suspense, useId, useState, type ReactNode } from 'react';
import type { Metric, Run } from '../../../../shared/mlflow/types.js';
import { isLive } from '../../../../shared/run-status.js';
import { metricValue } from '../../../lib/format.js';
import styles from './run-details.module.css';
import { groupMetricKeys, isSystemMetric, systemMetricTitle } from './system-metrics.js';

const MetricCharts = lazy(() => import('./metric-charts.js'));

type Axis = 'step' | 'time';

/**
 * Metrics: a chart per metric over step or wall time, the run's own metrics first and the
 * machine's (`system/*`, whoever logged them) in a System group after, then the latest values.
 */
export function MetricsTab({ run }: { run: Run }) {
  const id = useId();
  const [x, setX] = useState<Axis>('step');
  const { own, system } = groupMetricKeys(run.data.metrics.map((m) => m.key));
  const live = isLive(run.info.status);
  if (own.length + system.length === 0) return <p className={styles.muted}>This run has logged no metrics.</p>;
  const axis = <AxisPicker name={`${id}-x`} value={x} onChange={setX} />;
  const charts = (keys: string[], titleFor?: (key: string) => string) => (
    <Suspense fallback={<p role="status">Loading charts…</p>}>
      <MetricCharts runId={run.info.run_id} keys={keys} x={x} live={live} titleFor={titleFor} />
    </Suspense>
  );
  return (
    <>
      {own.length > 0 && (
        <ChartSection id={`${id}-charts`} title="Charts" tools={axis}>
          {charts(own)}
        </ChartSection>
      )}
      {system.length > 0 && (
        <ChartSection id={`${id}-system`} title="System" tools={own.length === 0 ? axis : null}>
          <p className={`${styles.muted} ${styles.note}`}>
            The machine the run ran on, sampled while it ran: metrics named <code>system/…</code>.
          </p>
          {charts(system, systemMetricTitle)}
        </ChartSection>
      )}
      <LatestValues id={`${id}-latest`} metrics={run.data.metrics} />
    </>
  );
}

function ChartSection({ id, title, tools, children }: { id: string; title: string; tools: ReactNode; children: ReactNode }) {
  return (
    <section className={styles.section} aria-labelledby={id}>
      <div className={styles.sectionHead}>
        <h2 id={id}>{title}</h2>
        {tools}
      </div>
      {children}
    </section>
  );
}

function AxisPicker({ name, value, onChange }: { name: string; value: Axis; onChange: (x: Axis) => void }) {
  return (
    <div role="radiogroup" aria-label="Horizontal axis" className={styles.axisPicker}>
      {(['step', 'time'] as const).map((v) => (
        <label key={v} className={styles.inlineLabel}>
          <input type="radio" name={name} checked={value === v} onChange={() => onChange(v)} />
          {v === 'step' ? 'Step' : 'Wall time'}
        </label>
      ))}
    </div>
  );
}

/** The last value of every metric; the system ones under their own heading row. */
function LatestValues({ id, metrics }: { id: string; metrics: Metric[] }) {
  const own = metrics.filter((m) => !isSystemMetric(m.key));
  const system = metrics.filter((m) => isSystemMetric(m.key));
  return (
    <section className={styles.section} aria-labelledby={id}>
      <div className={styles.sectionHead}>
        <h2 id={id}>Latest values</h2>
      </div>
      <table className={styles.kvTable} aria-labelledby={id}>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Value</th>
            <th scope="col">Step</th>
            <th scope="col">Logged</th>
          </tr>
        </thead>
        <tbody>
          {own.map((m) => (
            <LatestRow key={m.key} metric={m} name={m.key} />
          ))}
          {system.length > 0 && (
            <tr>
              <th scope="colgroup" colSpan={4}>
                System
              </th>
            </tr>
          )}
          {system.map((m) => (
            <LatestRow
              key={m.key}
              metric={m}
              name={
                <>
                  <span className={styles.sans}>{systemMetricTitle(m.key)}</span> <span className={styles.muted}>{m.key}</span>
                </>
              }
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function LatestRow({ metric, name }: { metric: Metric; name: ReactNode }) {
  return (
    <tr>
      <td>{name}</td>
      <td className="num">{metricValue(metric.value)}</td>
      <td className="num">{metric.step}</td>
      <td>{new Date(metric.timestamp).toLocaleString()}</td>
    </tr>
  );
}
