import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { MAX_SELECTED, toSearchRequest } from '../../../../shared/studio/explorer-state.js';
import ui from '../../../components/ui.module.css';
import { ApiRequestError } from '../../../lib/api-client.js';
import { count } from '../../../lib/format.js';
import { runQueries } from '../../../lib/queries/run-queries.js';
import { useLiveRuns } from '../hooks/use-live-runs.js';
import { useTreeRows } from '../state/tree-rows.js';
import { useExplorerState } from '../state/use-explorer-state.js';
import { ChartPanels } from '../../charts/components/chart-panels.js';
import { ViewBar } from '../../views/components/view-bar.js';
import { ColumnPicker } from './column-picker.js';
import { CompareButton } from './compare-button.js';
import styles from './explorer.module.css';
import { FilterBar } from './filter-bar.js';
import { RunTable } from './run-table.js';
import { SearchBar } from './search-bar.js';

const noneExpanded: ReadonlySet<string> = new Set();

function useRunExplorerModel(experimentId: string | undefined) {
  const { state, resolved, update } = useExplorerState();
  const request = useMemo(() => toSearchRequest(state, experimentId), [state, experimentId]);
  const query = useInfiniteQuery(runQueries.list(request));
  const top = useMemo(() => query.data?.pages.flatMap((p) => p.runs) ?? [], [query.data]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  // The selection is URL state (a link reproduces it); ticking a box replaces the entry, not adds one.
  const selected = resolved.sel;
  const onSelect = useCallback(
    (runId: string, on: boolean) => {
      const rest = selected.filter((id) => id !== runId);
      update({ sel: on ? [...rest, runId].slice(-MAX_SELECTED) : rest }, { replace: true });
    },
    [selected, update],
  );
  const rows = useTreeRows(top, resolved.flat ? noneExpanded : expanded, request.orderBy ?? []);
  useLiveRuns(useMemo(() => rows.flatMap((r) => (r.kind === 'run' ? [r.run] : [])), [rows]));
  const onToggle = useCallback((runId: string) => {
    setExpanded((old) => {
      const next = new Set(old);
      if (next.has(runId)) next.delete(runId);
      else next.add(runId);
      return next;
    });
  }, []);
  const onSort = useCallback(
    (column: string) => update({ sort: column, desc: resolved.sort === column ? !resolved.desc : column === 'created' }),
    [update, resolved.sort, resolved.desc],
  );
  const error = query.error instanceof ApiRequestError ? query.error : query.error ? new ApiRequestError(0, 'INTERNAL_ERROR', query.error.message) : null;
  const filterError = error?.code === 'INVALID_PARAMETER_VALUE' ? error.message : null;
  const experimentIds = experimentId ? [experimentId] : resolved.filters.filter((f) => f.field === 'experiment').map((f) => f.value);
  const runs = useMemo(() => rows.flatMap((r) => (r.kind === 'run' ? [r.run] : [])), [rows]);
  return { state, resolved, update, query, rows, runs, expanded, onToggle, selected, onSelect, clearSelection: () => update({ sel: [] }, { replace: true }), onSort, error, filterError, experimentIds, total: query.data?.pages[0]?.total ?? 0 };
}

/** All runs, or one experiment's: search, filters, columns and the virtualised table. */
export function RunExplorer({ experimentId, title }: { experimentId?: string; title: string }) {
  const m = useRunExplorerModel(experimentId);
  const { resolved, update, query } = m;
  const filtered = resolved.q !== '' || resolved.filters.length > 0 || resolved.filter !== '';
  const onLoadMore = useCallback(() => void query.fetchNextPage(), [query]);
  const selectedSet = useMemo(() => new Set(m.selected), [m.selected]);
  return (
    <section className={styles.explorer} aria-labelledby="explorer-title">
      <div className={styles.titleRow}>
        <h1 id="explorer-title">{title}</h1>
        <ViewBar {...(experimentId ? { experimentId } : {})} defaultName={experimentId ? 'All runs of this experiment' : 'All runs'} />
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
      <ChartPanels panels={resolved.charts} runs={m.runs} selected={m.selected} experimentIds={m.experimentIds} onChange={(charts) => update({ charts })} />
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
          <button type="button" className={ui.button} onClick={() => void query.refetch()}>
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
          onLoadMore={onLoadMore}
        />
      )}
    </section>
  );
}
