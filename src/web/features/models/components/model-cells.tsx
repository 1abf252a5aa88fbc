import type { ModelMetric } from '../../../../shared/mlflow/logged-models.js';
import { metricValue } from '../../../lib/format.js';
import styles from './models.module.css';

/** The latest value of each metric key (latest time, then highest step). */
export function latestMetrics(metrics: ModelMetric[] | undefined): Map<string, ModelMetric> {
  const latest = new Map<string, ModelMetric>();
  for (const m of metrics ?? []) {
    const seen = latest.get(m.key);
    if (!seen || m.timestamp > seen.timestamp || (m.timestamp === seen.timestamp && m.step > seen.step)) latest.set(m.key, m);
  }
  return latest;
}

/** A metric's value, and the dataset it was measured on when it names one. */
export function MetricCell({ metric }: { metric: ModelMetric | undefined }) {
  if (!metric) return <span className={styles.muted} aria-label="none">—</span>;
  const value = metricValue(metric.value);
  return (
    <span className={styles.metric} title={`${value} at step ${metric.step}${metric.dataset_name ? ` on ${metric.dataset_name}` : ''}`}>
      <span className="num">{value}</span>
      {metric.dataset_name && <span className={styles.dataset}>{metric.dataset_name}</span>}
    </span>
  );
}
