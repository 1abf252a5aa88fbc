import { InfiniteQueryObserver, notifyManager, useQueryClient, type InfiniteData, type InfiniteQueryObserverResult, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { StudioSearchRunsResponse } from '../../../../shared/studio/runs.js';
import { runQueries } from '../../../lib/queries/run-queries.js';
import { reportError } from '../../../lib/report-error.js';

type ChildrenOptions = ReturnType<typeof runQueries.children>;
export type ChildPages = InfiniteQueryObserverResult<InfiniteData<StudioSearchRunsResponse, string | null>, Error>;

const newObserver = (client: QueryClient, options: ChildrenOptions) => new InfiniteQueryObserver(client, options);
type Observer = ReturnType<typeof newObserver>;

/**
 * The children of every expanded run, one infinite query each (useQueries has no infinite
 * form). An observer lives as long as its run stays expanded, so a run's loaded pages are
 * not refetched when another run opens or closes.
 */
export function useChildPages(runIds: readonly string[], orderBy: string[]) {
  const client = useQueryClient();
  const [registry] = useState(() => new Map<string, Observer>());
  // By value: a new array with the same runs and order must not rebuild anything.
  const key = JSON.stringify([runIds, orderBy]);
  const entries = useMemo(() => {
    const [ids, order] = JSON.parse(key) as [string[], string[]];
    return ids.map((id) => {
      const options = runQueries.children(id, order);
      const observer = registry.get(id) ?? newObserver(client, options);
      registry.set(id, observer);
      return { id, observer, options };
    });
  }, [client, registry, key]);
  useEffect(() => {
    for (const { observer, options } of entries) observer.setOptions(options);
    for (const id of registry.keys()) if (!entries.some((e) => e.id === id)) registry.delete(id);
  }, [entries, registry]);

  const last = useRef<ChildPages[]>([]);
  const subscribe = useCallback(
    (onChange: () => void) => {
      const stops = entries.map(({ observer }) => observer.subscribe(notifyManager.batchCalls(onChange)));
      return () => stops.forEach((stop) => stop());
    },
    [entries],
  );
  // A new array only when some result changed, as useSyncExternalStore requires.
  const snapshot = useCallback(() => {
    const next = entries.map(({ observer }) => observer.getCurrentResult() as ChildPages);
    if (next.length !== last.current.length || next.some((r, i) => r !== last.current[i])) last.current = next;
    return last.current;
  }, [entries]);
  const results = useSyncExternalStore(subscribe, snapshot, snapshot);
  const byRun = useMemo(() => new Map(entries.map((e, i) => [e.id, results[i]!])), [entries, results]);
  // A failed page shows on the row (isFetchNextPageError); a rejection here would be a bug, and is shown.
  const loadMore = useCallback(
    (runId: string) => {
      registry.get(runId)?.fetchNextPage({ cancelRefetch: false }).catch(reportError);
    },
    [registry],
  );
  return { byRun, loadMore };
}
