import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { StudioRun, StudioSearchRunsResponse } from '../../../../shared/studio/runs.js';
import { searchRuns } from '../../../lib/queries/run-queries.js';
import { runKeys } from '../../../lib/query-keys.js';

const LIVE_INTERVAL_MS = 1500;
const isLive = (run: StudioRun) => run.status === 'RUNNING' || run.status === 'SCHEDULED';

function patch(data: unknown, fresh: Map<string, StudioRun>): unknown {
  const swap = (run: StudioRun) => fresh.get(run.runId) ?? run;
  if (Array.isArray(data)) return data.some((r: StudioRun) => fresh.has(r.runId)) ? data.map(swap) : data;
  // One page (the compare page), or the pages of an infinite list.
  const page = data as StudioSearchRunsResponse | undefined;
  if (Array.isArray(page?.runs)) return page.runs.some((r) => fresh.has(r.runId)) ? { ...page, runs: page.runs.map(swap) } : data;
  const pages = (data as InfiniteData<StudioSearchRunsResponse> | undefined)?.pages;
  if (!pages) return data;
  return { ...(data as object), pages: pages.map((p) => (p.runs.some((r) => fresh.has(r.runId)) ? { ...p, runs: p.runs.map(swap) } : p)) };
}

/**
 * Keeps the runs on screen that are queued or running up to date (status, duration,
 * latest metrics) by asking for just those runs every 1.5 s and patching them into every
 * cached list in place: no refetch of the pages, no jump in the scroll position.
 */
export function useLiveRuns(visible: StudioRun[]): void {
  const queryClient = useQueryClient();
  const visibleRef = useRef(visible);
  visibleRef.current = visible;
  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      const runIds = [...new Set(visibleRef.current.filter(isLive).map((r) => r.runId))].slice(0, 1000);
      if (runIds.length === 0 || document.hidden) return;
      const response = await searchRuns({ parentRunId: '*', runIds, pageSize: 1000, viewType: 'ALL' }).catch(() => null);
      if (!response || stopped) return;
      const fresh = new Map(response.runs.map((r) => [r.runId, r]));
      queryClient.setQueriesData({ queryKey: runKeys.lists() }, (data: unknown) => patch(data, fresh));
    };
    const timer = setInterval(() => void tick(), LIVE_INTERVAL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [queryClient]);
}
