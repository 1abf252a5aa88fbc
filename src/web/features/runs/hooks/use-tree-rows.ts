import type { StudioRun } from '../../../../shared/studio/runs.js';
import { useChildPages } from './use-child-pages.js';

/** The line after an expanded run's loaded children while more of them are on the server. */
export interface MoreRow {
  kind: 'more';
  id: string;
  depth: number;
  parent: StudioRun;
  shown: number;
  loading: boolean;
  error: string | null;
  onLoadMore: () => void;
}

/** A line of the run table: a run at some depth, or a placeholder under an expanded parent. */
export type TreeRow =
  | { kind: 'run'; id: string; run: StudioRun; depth: number }
  | { kind: 'loading' | 'empty' | 'error'; id: string; depth: number; message?: string }
  | MoreRow;

/**
 * Top-level runs with the children of every expanded run nested under it, depth first.
 * Children come in the explorer's order, a page at a time: each expansion is one cached
 * infinite query, so the tree stays right while the top level pages, re-sorts or refilters.
 */
export function useTreeRows(top: StudioRun[], expanded: ReadonlySet<string>, orderBy: string[]): TreeRow[] {
  const { byRun, loadMore } = useChildPages([...expanded], orderBy);
  const rows: TreeRow[] = [];
  const visit = (run: StudioRun, depth: number, path: Set<string>) => {
    rows.push({ kind: 'run', id: `${run.runId}@${depth}`, run, depth });
    if (!expanded.has(run.runId) || path.has(run.runId)) return;
    const result = byRun.get(run.runId);
    const inner = new Set(path).add(run.runId);
    const children = result?.data?.pages.flatMap((p) => p.runs) ?? [];
    if (!result || result.isPending) rows.push({ kind: 'loading', id: `${run.runId}:loading`, depth: depth + 1 });
    else if (result.isError && children.length === 0) rows.push({ kind: 'error', id: `${run.runId}:error`, depth: depth + 1, message: result.error.message });
    else if (children.length === 0) rows.push({ kind: 'empty', id: `${run.runId}:empty`, depth: depth + 1 });
    for (const child of children) visit(child, depth + 1, inner);
    if (children.length > 0 && (result?.hasNextPage || result?.isFetchNextPageError)) {
      rows.push({
        kind: 'more',
        id: `${run.runId}:more`,
        depth: depth + 1,
        parent: run,
        shown: children.length,
        loading: result.isFetchingNextPage,
        error: result.isFetchNextPageError ? result.error.message : null,
        onLoadMore: () => loadMore(run.runId),
      });
    }
  };
  for (const run of top) visit(run, 0, new Set());
  return rows;
}
