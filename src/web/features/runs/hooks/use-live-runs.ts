import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useEffectEvent } from 'react';
import { isLive } from '../../../../shared/run-status.js';
import type { StudioRun, StudioSearchRunsResponse } from '../../../../shared/studio/runs.js';
import { searchRuns } from '../../../lib/queries/run-queries.js';
import { runKeys } from '../../../lib/query-keys.js';
import { reportError } from '../../../lib/report-error.js';

const LIVE_INTERVAL_MS = 1500;

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
  // Read at each tick, not a reason to restart the timer: the rows change with every patch.
  const liveRunIds = useEffectEvent(() => [...new Set(visible.filter((r) => isLive(r.status)).map((r) => r.runId))].slice(0, 1000));
  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      const runIds = liveRunIds();
      if (runIds.length === 0 || document.hidden) return;
      const response = await searchRuns({ parentRunId: '*', runIds, pageSize: 1000, viewType: 'ALL' }).catch(() => null);
      if (!response || stopped) return;
      const fresh = new Map(response.runs.map((r) => [r.runId, r]));
      queryClient.setQueriesData({ queryKey: runKeys.lists() }, (data: unknown) => patch(data, fresh));
    };
    // tick() never rejects (a failed read waits for the next tick); reportError is the backstop.
    const timer = setInterval(() => {
      tick().catch(reportError);
    }, LIVE_INTERVAL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [queryClient]);
}
