import type { ChartKind, ChartPanel } from '../../../shared/studio/explorer-state.js';

/** What each kind of panel is called, what it needs, and how it is titled. */
export interface PanelDefinition {
  kind: ChartKind;
  label: string;
  /** Whether a panel of this kind has everything it needs to draw. */
  complete: (panel: ChartPanel) => boolean;
  title: (panel: ChartPanel) => string;
}

const field = (id: string | undefined) => (id ?? '').replace(/^(param|metric):/, '');

export const panelDefinitions: Record<ChartKind, PanelDefinition> = {
  line: {
    kind: 'line',
    label: 'Line',
    complete: (p) => Boolean(p.metric),
    title: (p) => `${p.metric} over ${p.xAxis === 'time' ? 'wall time' : p.xAxis === 'relative' ? 'relative time' : 'step'}`,
  },
  bar: {
    kind: 'bar',
    label: 'Bar',
    complete: (p) => Boolean(p.metric),
    title: (p) => `${p.metric} (${p.aggregate ?? 'last'})`,
  },
  scatter: {
    kind: 'scatter',
    label: 'Scatter',
    complete: (p) => Boolean(p.x && p.y),
    title: (p) => `${field(p.y)} against ${field(p.x)}`,
  },
  parallel: {
    kind: 'parallel',
    label: 'Parallel coordinates',
    complete: (p) => (p.axes?.length ?? 0) >= 2,
    title: (p) => `Parallel coordinates: ${(p.axes ?? []).map(field).join(', ')}`,
  },
};

export const DEFAULT_PANEL_RUNS = 10;

export function newPanelId(): string {
  return Math.random().toString(36).slice(2, 10);
}
