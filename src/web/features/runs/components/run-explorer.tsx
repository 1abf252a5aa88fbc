import { useMemo, type ReactNode } from 'react';
import type { ChartPanel } from '../../../../shared/studio/explorer-state.js';
import type { StudioRun } from '../../../../shared/studio/runs.js';
import ui from '../../../components/ui.module.css';
import { count } from '../../../lib/format.js';
import { useRunExplorerModel } from '../hooks/use-run-explorer-model.js';
import { ColumnPicker } from './column-picker.js';
import { CompareButton } from './compare-button.js';
import styles from './explorer.module.css';
import { FilterBar } from './filter-bar.js';
import { RunTable } from './run-table.js';
import { SearchBar } from './search-bar.js';

/** What the explorer hands to the charts slot: the panels in its state and the runs to plot. */
export interface ExplorerChartsProps {
  panels: ChartPanel[];
  runs: StudioRun[];
  selected: readonly string[];
  experimentIds: string[];
  onChange: (panels: ChartPanel[]) => void;
}

interface RunExplorerProps {
  experimentId?: string | undefined;
  title: string;
  /**
   * Whether the title is the page's heading (h1), or, under a page heading and its tabs (the
   * experiment page), a heading for screen readers only: the tab already says it on screen.
   */
  titleHidden?: boolean;
  /** Beside the title: the saved-view bar (another feature, composed by the page). */
  viewBar?: ReactNode;
  /** Above the table: the chart panels (another feature, composed by the page). */
  charts?: (props: ExplorerChartsProps) => ReactNode;
}

/** All runs, or one experiment's: search, filters, columns and the virtualised table. */
export function RunExplorer({ experimentId, title, titleHidden = false, viewBar, charts }: RunExplorerProps) {
  const m = useRunExplorerModel(experimentId);
  const { resolved, update, query } = m;
  const filtered = resolved.q !== '' || resolved.filters.length > 0 || resolved.filter !== '';
  const selectedSet = useMemo(() => new Set(m.selected), [m.selected]);
  return (
    <section className={styles.explorer} aria-labelledby="explorer-title">
      <div className={styles.titleRow}>
        {titleHidden ? (
          <h2 id="explorer-title" className="visually-hidden">
            {title}
          </h2>
        ) : (
          <h1 id="explorer-title">{title}</h1>
        )}
        {viewBar}
        <span className={`${styles.count} num`} role="status" aria-live="polite">
          {query.isPending ? 'Loading runs…' : `${count(m.total)} ${filtered ? (m.total === 1 ? 'match' : 'matches') : m.total === 1 ? 'run' : 'runs'}`}
        </span>
      </div>
      <div className={styles.toolbar}>
        <SearchBar value={resolved.q} onChange={(q) => update({ q }, { replace: true })} />
        <label className={styles.switch}>
          <input type="checkbox" checked={resolved.flat} onChange={(e) => update({ flat: e.target.checked })} />
          Flat list (child runs too)
        </label>
        <CompareButton selected={m.selected} onClear={m.clearSelection} />
        <ColumnPicker columns={resolved.cols} experimentIds={m.experimentIds} onChange={(cols) => update({ cols })} />
      </div>
      <FilterBar
        chips={resolved.filters}
        advanced={resolved.filter}
        filterError={m.filterError}
        experimentIds={m.experimentIds}
        onChipsChange={(filters) => update({ filters })}
        onAdvancedChange={(filter) => update({ filter })}
      />
      {charts?.({ panels: resolved.charts, runs: m.runs, selected: m.selected, experimentIds: m.experimentIds, onChange: (panels) => update({ charts: panels }) })}
      {query.isPending ? (
        <div className={styles.skeleton} aria-hidden="true">
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className={styles.skeletonRow} />
          ))}
        </div>
      ) : m.filterError && !query.data ? (
        <div className={styles.empty}>
          <strong>The filter cannot be read</strong>
          <span>Correct it above, or remove the filter that does not apply.</span>
        </div>
      ) : m.error && !query.data ? (
        <div className={styles.errorBox} role="alert">
          <strong>Could not load runs</strong>
          <span>{m.error.message}</span>
          <button type="button" className={ui.button} onClick={m.retry}>
            Try again
          </button>
        </div>
      ) : m.rows.length === 0 ? (
        <div className={styles.empty}>
          <strong>{filtered ? 'No run matches these filters' : 'No runs yet'}</strong>
          <span>
            {filtered
              ? 'Try other words, or remove a filter.'
              : 'Log one with any MLflow client: set MLFLOW_TRACKING_URI to this server’s address.'}
          </span>
          {filtered && (
            <button type="button" className={ui.button} onClick={() => update({ q: '', filters: [], filter: '' })}>
              Clear search and filters
            </button>
          )}
        </div>
      ) : (
        <RunTable
          rows={m.rows}
          columns={resolved.cols}
          sort={resolved.sort}
          desc={resolved.desc}
          total={m.total}
          expanded={m.expanded}
          widths={resolved.widths}
          selected={selectedSet}
          onSelect={m.onSelect}
          onWidthsChange={(widths) => update({ widths }, { replace: true })}
          hasNextPage={query.hasNextPage}
          isFetchingNextPage={query.isFetchingNextPage}
          onSort={m.onSort}
          onToggle={m.onToggle}
          onLoadMore={m.onLoadMore}
        />
      )}
    </section>
  );
}
