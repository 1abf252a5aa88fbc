import type { ChartPanel } from '../../../shared/studio/explorer-state.js';
import type { MetricSeriesRequest } from '../../../shared/studio/metrics.js';

/**
 * The series a panel draws, as one request. The panel frame starts it while the chart code
 * is still loading; the chart body asks for the very same key and finds it ready.
 */
export function seriesRequestFor(panel: ChartPanel, runIds: string[]): MetricSeriesRequest | null {
  if (runIds.length === 0 || !panel.metric) return null;
  if (panel.kind === 'line') return { runIds, keys: [panel.metric], maxPoints: pointsPerSeries(runIds.length), x: (panel.xAxis ?? 'step') === 'step' ? 'step' : 'time' };
  if (panel.kind === 'bar' && (panel.aggregate ?? 'last') !== 'last') return { runIds, keys: [panel.metric], maxPoints: 200, x: 'step' };
  return null;
}

/**
 * A chart is at most ~1,300 px wide: 8,000 points in all is more than it can show, so a chart
 * of many runs asks for fewer points per run (each bucket still keeps its min and max).
 */
export function pointsPerSeries(runs: number): number {
  return Math.max(200, Math.min(1000, Math.floor(8000 / Math.max(1, runs))));
}
