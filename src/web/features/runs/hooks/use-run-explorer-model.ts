import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { MAX_SELECTED, toSearchRequest } from '../../../../shared/studio/explorer-state.js';
import { ApiRequestError } from '../../../lib/api-client.js';
import { runQueries } from '../../../lib/queries/run-queries.js';
import { reportError } from '../../../lib/report-error.js';
import { useExplorerState } from '../../../lib/use-explorer-state.js';
import { useLiveRuns } from './use-live-runs.js';
import { useTreeRows } from './use-tree-rows.js';

const noneExpanded: ReadonlySet<string> = new Set();

/**
 * Everything the run explorer shows and does: the URL state, the pages of runs, the tree of
 * expanded children, the selection (URL state: a link reproduces it), sorting and errors.
 */
export function useRunExplorerModel(experimentId: string | undefined) {
  const { state, resolved, update } = useExplorerState();
  const request = useMemo(() => toSearchRequest(state, experimentId), [state, experimentId]);
  const query = useInfiniteQuery(runQueries.list(request));
  const top = useMemo(() => query.data?.pages.flatMap((p) => p.runs) ?? [], [query.data]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  // Ticking a box replaces the history entry rather than adding one.
  const selected = resolved.sel;
  const onSelect = useCallback(
    (runId: string, on: boolean) => {
      const rest = selected.filter((id) => id !== runId);
      update({ sel: on ? [...rest, runId].slice(-MAX_SELECTED) : rest }, { replace: true });
    },
    [selected, update],
  );
  const rows = useTreeRows(top, resolved.flat ? noneExpanded : expanded, request.orderBy ?? []);
  const runs = useMemo(() => rows.flatMap((r) => (r.kind === 'run' ? [r.run] : [])), [rows]);
  const live = useLiveRuns(runs, request, experimentId);
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
  const { fetchNextPage, refetch } = query;
  // A failed page shows in the table (isFetchNextPageError); a rejection here would be a bug.
  const onLoadMore = useCallback(() => {
    fetchNextPage().catch(reportError);
  }, [fetchNextPage]);
  const retry = () => {
    refetch().catch(reportError);
  };
  const error = query.error instanceof ApiRequestError ? query.error : query.error ? new ApiRequestError(0, 'INTERNAL_ERROR', query.error.message) : null;
  const filterError = error?.code === 'INVALID_PARAMETER_VALUE' ? error.message : null;
  const experimentIds = experimentId ? [experimentId] : resolved.filters.filter((f) => f.field === 'experiment').map((f) => f.value);
  return {
    resolved,
    update,
    query,
    rows,
    runs,
    expanded,
    onToggle,
    selected,
    onSelect,
    clearSelection: () => update({ sel: [] }, { replace: true }),
    onSort,
    onLoadMore,
    retry,
    error,
    filterError,
    experimentIds,
    total: query.data?.pages[0]?.total ?? 0,
    /** Whether the run-event stream is up (rows are patched by push; else polled). */
    live,
  };
}
