import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Cell, Legend, Line, LineChart, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { ChartPanel } from '../../../../shared/studio/explorer-state.js';
import { metricValue } from '../../../lib/format.js';
import { usePreferences } from '../../../lib/preferences.js';
import { runQueries } from '../../../lib/queries/run-queries.js';
import type { PlottedRun } from '../../../lib/run-colors.js';
import { fieldValue } from '../field-value.js';
import { RunLegend } from './run-legend.js';
import styles from './charts.module.css';
import { ParallelCoordinates } from './parallel-coordinates.js';
import { seriesRequestFor } from '../panel-data.js';

/** The plot's height in px: `.plot` in charts.module.css; the SVG of parallel coordinates needs the number. */
const HEIGHT = 240;
const axisProps = { stroke: 'var(--muted)', fontSize: 11 } as const;
const tooltipStyle = { background: 'var(--surface)', border: '1px solid var(--border)', fontSize: 12 } as const;

/** A tooltip's label (a step, a time, seconds) as text. */
const labelText = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : '');

/** Exponential moving average, as TensorBoard's smoothing slider does it. */
function smooth(values: Array<{ x: number; y: number }>, factor: number) {
  if (factor <= 0) return values;
  let last = values[0]?.y ?? 0;
  return values.map((p) => ({ x: p.x, y: (last = last * factor + p.y * (1 - factor)) }));
}

function LineBody({ panel, plotted, onChange }: { panel: ChartPanel; plotted: PlottedRun[]; onChange?: ((p: ChartPanel) => void) | undefined }) {
  const xAxis = panel.xAxis ?? 'step';
  // Smoothing is this device's taste (lib/preferences.ts): one slider value for every line chart.
  const smoothing = usePreferences((s) => s.defaultSmoothing);
  const setSmoothing = usePreferences((s) => s.setDefaultSmoothing);
  const request = seriesRequestFor(panel, plotted.map((p) => p.run.runId));
  const { data, error, isPending } = useQuery({ ...runQueries.series(request ?? { runIds: ['-'], keys: ['-'] }), enabled: request !== null });
  if (plotted.length === 0) return <p className={styles.muted}>No runs to plot.</p>;
  if (isPending) return <p className={styles.muted} role="status">Loading…</p>;
  if (error) return <p role="alert">Could not load {panel.metric}: {error.message}</p>;
  const byRun = new Map(data.map((s) => [s.runId, s]));
  const lines = plotted.flatMap(({ run, color }) => {
    const series = byRun.get(run.runId);
    if (!series || series.points.length === 0) return [];
    const t0 = series.points[0]!.timestamp;
    let points = series.points
      .filter((p) => p.value !== null && (!panel.logScale || p.value > 0))
      .map((p) => ({ x: xAxis === 'step' ? p.step : xAxis === 'time' ? p.timestamp : (p.timestamp - t0) / 1000, y: p.value! }));
    points = smooth(points, smoothing);
    return [{ run, color, points }];
  });
  return (
    <>
      <div className={styles.plot}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 4, right: 10, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} allowDuplicatedCategory={false} {...axisProps}
              tickFormatter={(v: number) => (xAxis === 'time' ? new Date(v).toLocaleTimeString() : xAxis === 'relative' ? `${Math.round(v)}s` : String(v))} />
            <YAxis {...axisProps} width={56} scale={panel.logScale ? 'log' : 'auto'} domain={['auto', 'auto']} tickFormatter={(v: number) => metricValue(v)} />
            <Tooltip contentStyle={tooltipStyle} formatter={(v) => metricValue(Number(v))} labelFormatter={(v) => `${xAxis === 'step' ? 'step' : xAxis === 'relative' ? 'seconds' : ''} ${labelText(v)}`} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {lines.map(({ run, color, points }) => (
              <Line key={run.runId} data={points} dataKey="y" name={run.runName} stroke={color} dot={false} isAnimationActive={false} strokeWidth={1.5} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      {onChange && <div className={styles.controls}>
        <label className={styles.control}>
          Smoothing
          <input type="range" min={0} max={0.99} step={0.01} value={smoothing} aria-valuetext={String(smoothing)} onChange={(e) => setSmoothing(Number(e.target.value))} />
        </label>
        <label className={styles.control}>
          <input type="checkbox" checked={panel.logScale ?? false} onChange={(e) => onChange({ ...panel, logScale: e.target.checked })} /> Log scale
        </label>
      </div>}
    </>
  );
}

function BarBody({ panel, plotted }: { panel: ChartPanel; plotted: PlottedRun[] }) {
  const aggregate = panel.aggregate ?? 'last';
  // Downsampling keeps each bucket's min and max, so the extremes of a history survive it.
  const request = seriesRequestFor(panel, plotted.map((p) => p.run.runId));
  const series = useQuery({ ...runQueries.series(request ?? { runIds: ['-'], keys: ['-'] }), enabled: request !== null });
  const values = plotted.map(({ run, color }) => {
    let value: number | null = null;
    if (aggregate === 'last') value = fieldValue(run, `metric:${panel.metric}`) as number | null;
    else {
      const points = series.data?.find((s) => s.runId === run.runId)?.points.flatMap((p) => (p.value === null ? [] : [p.value])) ?? [];
      value = points.length ? (aggregate === 'min' ? Math.min(...points) : Math.max(...points)) : null;
    }
    return { name: run.runName, value: typeof value === 'number' ? value : null, color };
  }).filter((v) => v.value !== null);
  if (values.length === 0) return <p className={styles.muted}>None of these runs logged {panel.metric}.</p>;
  return (
    <>
    <div className={styles.plot}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={values} margin={{ top: 4, right: 10, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="name" {...axisProps} interval={0} tick={false} />
          <YAxis {...axisProps} width={56} tickFormatter={(v: number) => metricValue(v)} />
          <Tooltip contentStyle={tooltipStyle} formatter={(v) => metricValue(Number(v))} />
          <Bar dataKey="value" name={`${panel.metric} (${aggregate})`} isAnimationActive={false}>
            {values.map((v) => <Cell key={v.name} fill={v.color} />)}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
    <RunLegend plotted={plotted} />
    </>
  );
}

function ScatterBody({ panel, plotted }: { panel: ChartPanel; plotted: PlottedRun[] }) {
  const points = plotted.flatMap(({ run, color }) => {
    const x = fieldValue(run, panel.x!);
    const y = fieldValue(run, panel.y!);
    return typeof x === 'number' && typeof y === 'number' ? [{ run, color, x, y }] : [];
  });
  if (points.length === 0) return <p className={styles.muted}>No plotted run has numbers for both axes.</p>;
  const label = (f: string) => f.replace(/^(param|metric):/, '');
  return (
    <div className={styles.plot}>
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 4, right: 10, bottom: 14, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="x" type="number" name={label(panel.x!)} domain={['auto', 'auto']} {...axisProps} label={{ value: label(panel.x!), position: 'insideBottom', offset: -8, fontSize: 11 }} />
          <YAxis dataKey="y" type="number" name={label(panel.y!)} domain={['auto', 'auto']} {...axisProps} width={56} tickFormatter={(v: number) => metricValue(v)} />
          <ZAxis range={[60, 60]} />
          <Tooltip contentStyle={tooltipStyle} cursor={{ strokeDasharray: '3 3' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {points.map((p) => <Scatter key={p.run.runId} name={p.run.runName} data={[{ x: p.x, y: p.y }]} fill={p.color} isAnimationActive={false} />)}
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}


/** The body of one panel, by kind (default export: loaded on demand). */
export default function PanelBody({ panel, plotted, onChange }: { panel: ChartPanel; plotted: PlottedRun[]; onChange?: (p: ChartPanel) => void }) {
  switch (panel.kind) {
    case 'line':
      return <LineBody panel={panel} plotted={plotted} onChange={onChange} />;
    case 'bar':
      return <BarBody panel={panel} plotted={plotted} />;
    case 'scatter':
      return <ScatterBody panel={panel} plotted={plotted} />;
    case 'parallel':
      return <ParallelCoordinates axes={panel.axes ?? []} plotted={plotted} height={HEIGHT} />;
  }
}
