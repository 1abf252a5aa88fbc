import { metricValue } from '../../../lib/format.js';
import type { PlottedRun } from '../../../lib/run-colors.js';
import { fieldValue } from '../field-value.js';
import { RunLegend } from './run-legend.js';

/**
 * Parallel coordinates as plain SVG (recharts has none): one vertical axis per chosen
 * property or metric, scaled to the plotted runs; text values get evenly spaced positions.
 */
export function ParallelCoordinates({ axes, plotted, height }: { axes: string[]; plotted: PlottedRun[]; height: number }) {
  const width = 600;
  const pad = { top: 24, bottom: 16, left: 40, right: 40 };
  const scales = axes.map((axis) => {
    const values = plotted.map(({ run }) => fieldValue(run, axis)).filter((v): v is number | string => v !== null);
    const numbers = values.filter((v): v is number => typeof v === 'number');
    if (numbers.length === values.length && numbers.length > 0) {
      const lo = Math.min(...numbers);
      const hi = Math.max(...numbers);
      return { axis, pos: (v: number | string) => (hi === lo ? 0.5 : ((v as number) - lo) / (hi - lo)), lo: metricValue(lo), hi: metricValue(hi) };
    }
    const categories = [...new Set(values.map(String))].sort();
    return { axis, pos: (v: number | string) => (categories.length < 2 ? 0.5 : categories.indexOf(String(v)) / (categories.length - 1)), lo: categories[0] ?? '', hi: categories[categories.length - 1] ?? '' };
  });
  const x = (i: number) => pad.left + (i * (width - pad.left - pad.right)) / Math.max(1, axes.length - 1);
  const y = (p: number) => pad.top + (1 - p) * (height - pad.top - pad.bottom);
  return (
    <>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="img" aria-label={`Parallel coordinates of ${plotted.length} runs over ${axes.join(', ')}`}>
        {scales.map((s, i) => (
          <g key={s.axis}>
            <line x1={x(i)} x2={x(i)} y1={pad.top} y2={height - pad.bottom} stroke="var(--muted)" />
            <text x={x(i)} y={12} textAnchor="middle" fontSize={11} fill="var(--fg)">{s.axis.replace(/^(param|metric):/, '')}</text>
            <text x={x(i) + 4} y={pad.top + 4} fontSize={9} fill="var(--muted)">{s.hi}</text>
            <text x={x(i) + 4} y={height - pad.bottom} fontSize={9} fill="var(--muted)">{s.lo}</text>
          </g>
        ))}
        {plotted.map(({ run, color }) => {
          const values = axes.map((axis) => fieldValue(run, axis));
          if (values.some((v) => v === null)) return null;
          const d = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i)},${y(scales[i]!.pos(v!))}`).join(' ');
          return (
            <path key={run.runId} d={d} fill="none" stroke={color} strokeWidth={1.8} opacity={0.85}>
              <title>{`${run.runName}: ${axes.map((a, i) => `${a.replace(/^(param|metric):/, '')}=${String(values[i])}`).join(', ')}`}</title>
            </path>
          );
        })}
      </svg>
      <RunLegend plotted={plotted} />
    </>
  );
}
