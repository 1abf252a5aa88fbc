import { useQuery } from '@tanstack/react-query';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { metricValue } from '../../../lib/format.js';
import { useLiveStreamUp } from '../../../lib/live/use-run-events.js';
import { runQueries } from '../../../lib/queries/run-queries.js';
import styles from './run-details.module.css';

const timeFormat = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * One line chart per metric; loaded on demand so chart code is not in the first bundle.
 * `titleFor` gives a metric a readable title; its raw key is then shown beside it. A live
 * run's charts are read again when it logs metrics (the run-event stream), or every 3 s while
 * the stream is down.
 */
export default function MetricCharts({ runId, keys, x, live, titleFor }: { runId: string; keys: string[]; x: 'step' | 'time'; live: boolean; titleFor?: (key: string) => string }) {
  const pushed = useLiveStreamUp();
  const { data, error, isPending } = useQuery({
    ...runQueries.series({ runIds: [runId], keys, maxPoints: 1000, x }),
    refetchInterval: live && !pushed ? 3000 : false,
  });
  if (isPending) return <p role="status">Loading charts…</p>;
  if (error) return <p role="alert">Could not load metric history: {error.message}</p>;
  return (
    <div className={styles.chartGrid}>
      {data.map((series) => {
        const title = titleFor?.(series.key) ?? series.key;
        const points = series.points.filter((p) => p.value !== null).map((p) => ({ x: x === 'step' ? p.step : p.timestamp, value: p.value }));
        return (
          <figure key={series.key} className={`${styles.card} ${styles.flush}`} aria-label={`Chart of ${title === series.key ? title : `${title} (${series.key})`} over ${x === 'step' ? 'step' : 'wall time'}`}>
            <figcaption className={styles.chartTitle}>
              {title}{' '}
              {title !== series.key && (
                <code className={`${styles.muted} ${styles.chartKey}`}>
                  {series.key}{' '}
                </code>
              )}
              <span className={`${styles.muted} ${styles.chartKey}`}>
                {series.total.toLocaleString()} {series.total === 1 ? "point" : "points"}{series.downsampled ? `, ${series.points.length} drawn (min and max per bucket)` : ''}
              </span>
            </figcaption>
            <div className={styles.chartPlot}>
              <ResponsiveContainer width="100%" height="100%">
                <LineChart data={points} margin={{ top: 5, right: 12, bottom: 0, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                  <XAxis
                    dataKey="x"
                    type="number"
                    domain={['dataMin', 'dataMax']}
                    tickFormatter={(v: number) => (x === 'step' ? String(v) : timeFormat.format(v))}
                    stroke="var(--muted)"
                    fontSize={11}
                  />
                  <YAxis stroke="var(--muted)" fontSize={11} width={56} tickFormatter={(v: number) => metricValue(v)} />
                  <Tooltip
                    labelFormatter={(v) => (x === 'step' ? `step ${Number(v)}` : new Date(Number(v)).toLocaleString())}
                    formatter={(v) => [metricValue(Number(v)), title]}
                    contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }}
                  />
                  <Line type="linear" dataKey="value" stroke="var(--accent)" dot={points.length < 40} isAnimationActive={false} strokeWidth={1.5} />
                </LineChart>
              </ResponsiveContainer>
            </div>
          </figure>
        );
      })}
    </div>
  );
}
