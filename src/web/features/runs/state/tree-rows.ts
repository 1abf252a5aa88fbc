import { useQueries } from '@tanstack/react-query';
import type { StudioRun } from '../../../../shared/studio/runs.js';
import { runQueries } from '../api/run-queries.js';

/** A line of the run table: a run at some depth, or a placeholder under an expanded parent. */
export type TreeRow =
  | { kind: 'run'; id: string; run: StudioRun; depth: number }
  | { kind: 'loading' | 'empty' | 'error'; id: string; depth: number; message?: string };

/**
 * Top-level runs with the children of every expanded run nested under it, depth first.
 * Children come in the explorer's order; each expansion is one cached query, so the tree
 * stays right while the top level pages, re-sorts or refilters.
 */
export function useTreeRows(top: StudioRun[], expanded: ReadonlySet<string>, orderBy: string[]): TreeRow[] {
  const ids = [...expanded];
  const results = useQueries({ queries: ids.map((id) => runQueries.children(id, orderBy)) });
  const byParent = new Map(ids.map((id, i) => [id, results[i]!]));
  const rows: TreeRow[] = [];
  const visit = (run: StudioRun, depth: number, path: Set<string>) => {
    rows.push({ kind: 'run', id: `${run.runId}@${depth}`, run, depth });
    if (!expanded.has(run.runId) || path.has(run.runId)) return;
    const result = byParent.get(run.runId);
    const inner = new Set(path).add(run.runId);
    if (!result || result.isPending) rows.push({ kind: 'loading', id: `${run.runId}:loading`, depth: depth + 1 });
    else if (result.isError) rows.push({ kind: 'error', id: `${run.runId}:error`, depth: depth + 1, message: result.error.message });
    else if (result.data.length === 0) rows.push({ kind: 'empty', id: `${run.runId}:empty`, depth: depth + 1 });
    else for (const child of result.data) visit(child, depth + 1, inner);
  };
  for (const run of top) visit(run, 0, new Set());
  return rows;
}
