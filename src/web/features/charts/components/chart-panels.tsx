import { ArrowLeft, ArrowRight, X } from 'lucide-react';
import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ChartPanel } from '../../../../shared/studio/explorer-state.js';
import type { StudioRun } from '../../../../shared/studio/runs.js';
import ui from '../../../components/ui.module.css';
import { colorFor } from '../../../lib/run-colors.js';
import { DEFAULT_PANEL_RUNS, panelDefinitions } from '../panel-registry.js';
import { DEFAULT_PANEL_SIZE, usePreferences, type PanelSize } from '../../../lib/preferences.js';
import { runQueries } from '../../../lib/queries/run-queries.js';
import { seriesRequestFor } from '../panel-data.js';
import { AddChartDialog } from './add-chart-dialog.js';
import { ChartBody } from './chart-body.js';
import styles from './charts.module.css';

interface ChartPanelsProps {
  panels: ChartPanel[];
  runs: StudioRun[];
  selected: readonly string[];
  experimentIds: string[];
  onChange: (panels: ChartPanel[]) => void;
}

/**
 * The chart panels above the run table: add, reorder, remove (the view's state, in the URL),
 * and resize (a per-device preference: one screen's layout is not the colleague's).
 */
export function ChartPanels({ panels, runs, selected, experimentIds, onChange }: ChartPanelsProps) {
  const sizes = usePreferences((s) => s.panelSizes);
  const setPanelSize = usePreferences((s) => s.setPanelSize);
  // The plotting order every panel shares: the selection, or else the table's rows.
  const universe = useMemo(() => {
    const byId = new Map(runs.map((r) => [r.runId, r]));
    const list = selected.length > 0 ? selected.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])) : runs;
    return list.map((run, i) => ({ run, color: colorFor(i) }));
  }, [runs, selected]);
  const plottedFor = (panel: ChartPanel) => (selected.length > 0 ? universe : universe.slice(0, panel.runs ?? DEFAULT_PANEL_RUNS));
  // Start every panel's data now, in parallel with loading the chart code.
  useQueries({
    queries: panels.flatMap((panel) => {
      const request = seriesRequestFor(panel, plottedFor(panel).map((p) => p.run.runId));
      return request ? [runQueries.series(request)] : [];
    }),
  });
  const replace = (index: number, panel: ChartPanel) => onChange(panels.map((p, i) => (i === index ? panel : p)));
  const move = (index: number, by: number) => {
    const next = [...panels];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    onChange(next);
  };
  return (
    <section className={styles.area} aria-label="Charts">
      <div className={styles.bar}>
        <AddChartDialog experimentIds={experimentIds} onAdd={(panel) => onChange([...panels, panel])} />
        {panels.length > 0 && (
          <span className={styles.muted}>{selected.length > 0 ? `Plotting the ${selected.length} selected run${selected.length === 1 ? '' : 's'}` : 'Plotting the first rows of the table; select runs to choose'}</span>
        )}
      </div>
      {panels.length > 0 && (
        <div className={styles.grid}>
          {panels.map((panel, i) => {
            const title = panelDefinitions[panel.kind].title(panel);
            const plotted = plottedFor(panel);
            const size = sizes[panel.id] ?? DEFAULT_PANEL_SIZE;
            return (
              <figure key={panel.id} className={`${styles.panel} ${styles[size]}`} aria-label={title}>
                <div className={styles.panelHead}>
                  <figcaption className={styles.panelTitle} title={title}>
                    {title}
                  </figcaption>
                  <select className={`${ui.input} ${styles.sizeSelect}`} aria-label={`Size of ${title}`} value={size} onChange={(e) => setPanelSize(panel.id, e.target.value as PanelSize)}>
                    <option value="s">Small</option>
                    <option value="m">Medium</option>
                    <option value="l">Wide</option>
                  </select>
                  <button type="button" className={`${ui.button} ${ui.icon} ${ui.ghost}`} aria-label={`Move ${title} left`} disabled={i === 0} onClick={() => move(i, -1)}>
                    <ArrowLeft size={14} aria-hidden />
                  </button>
                  <button type="button" className={`${ui.button} ${ui.icon} ${ui.ghost}`} aria-label={`Move ${title} right`} disabled={i === panels.length - 1} onClick={() => move(i, 1)}>
                    <ArrowRight size={14} aria-hidden />
                  </button>
                  <button type="button" className={`${ui.button} ${ui.icon} ${ui.ghost}`} aria-label={`Remove ${title}`} onClick={() => onChange(panels.filter((_, j) => j !== i))}>
                    <X size={14} aria-hidden />
                  </button>
                </div>
                <ChartBody panel={panel} plotted={plotted} onChange={(next) => replace(i, next)} />
              </figure>
            );
          })}
        </div>
      )}
    </section>
  );
}
