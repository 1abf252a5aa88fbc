import { useQueryClient, type InfiniteData, type QueryClient, type QueryFilters } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { isLive, runStatuses } from '../../../../shared/run-status.js';
import type { RunEvent } from '../../../../shared/studio/events.js';
import type { StudioRun, StudioSearchRunsRequest, StudioSearchRunsResponse } from '../../../../shared/studio/runs.js';
import { EventInvalidations, seriesOf } from '../../../lib/live/run-event-queries.js';
import { useRunEvents } from '../../../lib/live/use-run-events.js';
import { searchRuns } from '../../../lib/queries/run-queries.js';
import { runKeys } from '../../../lib/query-keys.js';
import { reportError } from '../../../lib/report-error.js';

/** How often the live runs on screen are re-read while the run-event stream is down. */
const FALLBACK_INTERVAL_MS = 1500;
const MAX_IDS = 1000;

/** Replaces the runs `fresh` has (whole, or some fields) in one cached list; untouched pages keep their identity. */
function patch(data: unknown, fresh: Map<string, Partial<StudioRun>>): unknown {
  const swap = (run: StudioRun) => (fresh.has(run.runId) ? { ...run, ...fresh.get(run.runId) } : run);
  if (Array.isArray(data)) return data.some((r: StudioRun) => fresh.has(r.runId)) ? data.map(swap) : data;
  // One page (the compare page), or the pages of an infinite list.
  const page = data as StudioSearchRunsResponse | undefined;
  if (Array.isArray(page?.runs)) return page.runs.some((r) => fresh.has(r.runId)) ? { ...page, runs: page.runs.map(swap) } : data;
  const pages = (data as InfiniteData<StudioSearchRunsResponse> | undefined)?.pages;
  if (!pages) return data;
  return { ...(data as object), pages: pages.map((p) => (p.runs.some((r) => fresh.has(r.runId)) ? { ...p, runs: p.runs.map(swap) } : p)) };
}

/** What a `status` event says itself: shown at once, before the read of the whole run (end time, metrics) lands. */
function statusOf(event: RunEvent): Partial<StudioRun> | null {
  const status = runStatuses.find((s) => s === event.status);
  if (!status && event.cancelRequested === undefined) return null;
  return { ...(status ? { status } : {}), ...(event.cancelRequested === undefined ? {} : { cancelRequested: event.cancelRequested }) };
}

/** The expanded children of one run, in any order (runKeys.children without its order). */
const childrenOf = (parentRunId: string): QueryFilters => ({
  queryKey: runKeys.lists(),
  predicate: (query) => query.queryKey[2] === 'children' && query.queryKey[3] === parentRunId,
});

/** New runs are put at the top of the first page when the list is newest first; any other order is read again. */
const newestFirst = (request: StudioSearchRunsRequest) => {
  const order = request.orderBy ?? [];
  return order.length === 0 || (order.length === 1 && order[0] === 'attributes.start_time DESC');
};

function prepend(data: InfiniteData<StudioSearchRunsResponse> | undefined, runs: StudioRun[]): InfiniteData<StudioSearchRunsResponse> | undefined {
  const first = data?.pages[0];
  if (!data || !first) return data;
  const shown = new Set(data.pages.flatMap((p) => p.runs.map((r) => r.runId)));
  const added = runs.filter((r) => !shown.has(r.runId));
  if (added.length === 0) return data;
  return { ...data, pages: [{ ...first, runs: [...added, ...first.runs], total: first.total === null ? null : first.total + added.length }, ...data.pages.slice(1)] };
}

/**
 * Reads runs by id and patches them into every cached list in place, one read at a time (a
 * later answer never loses to an earlier one); ids asked for meanwhile wait for the next read.
 */
class RunPatcher {
  private pending = new Set<string>();
  private reading = false;

  constructor(private readonly client: QueryClient) {}

  /** Writes what events said into every cached list now. */
  apply(fields: Map<string, Partial<StudioRun>>): void {
    if (fields.size > 0) this.client.setQueriesData({ queryKey: runKeys.lists() }, (data: unknown) => patch(data, fields));
  }

  refresh(runIds: Iterable<string>): void {
    for (const id of runIds) this.pending.add(id);
    if (!this.reading) this.next().catch(reportError);
  }

  private async next(): Promise<void> {
    while (this.pending.size > 0) {
      const runIds = [...this.pending].slice(0, MAX_IDS);
      runIds.forEach((id) => this.pending.delete(id));
      this.reading = true;
      // A failed read is dropped: the run's next event (or the fallback poll) reads it again.
      const response = await searchRuns({ parentRunId: '*', runIds, pageSize: runIds.length, viewType: 'ALL' }).catch(() => null);
      this.reading = false;
      if (!response) continue;
      // A run asked for again meanwhile is left to that read: this answer may predate what its event said.
      const fresh = new Map(response.runs.filter((r) => !this.pending.has(r.runId)).map((r) => [r.runId, r]));
      this.client.setQueriesData({ queryKey: runKeys.lists() }, (data: unknown) => patch(data, fresh));
    }
  }
}

/**
 * Keeps the explorer's runs up to date without reloading its pages (no jump in the scroll
 * position). While the run-event stream of its experiment (or of every run) is up, an event
 * makes it read just the changed runs and patch them into every cached list in place; a new
 * top-level run is put on top; the chart panels of a run that logged metrics are read again.
 * While the stream is down, the live runs on screen are re-read every 1.5 s, as before the
 * stream existed. Returns whether the stream is up.
 */
export function useLiveRuns(visible: StudioRun[], request: StudioSearchRunsRequest, experimentId?: string): boolean {
  const queryClient = useQueryClient();
  const patcher = useMemo(() => new RunPatcher(queryClient), [queryClient]);
  const invalidations = useMemo(() => new EventInvalidations(queryClient), [queryClient]);
  useEffect(() => () => invalidations.stop(), [invalidations]);
  // Read when events arrive, not a reason to reopen the stream: the rows change with every patch.
  const latest = useRef({ visible, request });
  useEffect(() => {
    latest.current = { visible, request };
  });
  const shown = () => new Set(latest.current.visible.map((r) => r.runId));
  const liveRunIds = () => [...new Set(latest.current.visible.filter((r) => isLive(r.status)).map((r) => r.runId))].slice(0, MAX_IDS);
  const currentRequest = () => latest.current.request;

  const addNewRuns = (runIds: string[]) => {
    const req = currentRequest();
    const key = runKeys.list(req);
    if (!newestFirst(req)) {
      invalidations.add(JSON.stringify(key), { queryKey: key, exact: true });
      return;
    }
    // The list's own filters decide whether a new run belongs in it.
    runIds.forEach((id) => adding.add(id));
    searchRuns({ ...req, runIds: runIds.slice(0, MAX_IDS), pageSize: Math.min(runIds.length, MAX_IDS) })
      .then((response) => {
        queryClient.setQueryData<InfiniteData<StudioSearchRunsResponse>>(key, (data) => prepend(data, response.runs));
        // A run that changed while it was being added (one that failed at once, say) is read again.
        const changedMeanwhile = runIds.filter((id) => changedWhileAdding.has(id));
        if (changedMeanwhile.length > 0) patcher.refresh(changedMeanwhile);
      })
      .catch(() => invalidations.add(JSON.stringify(key), { queryKey: key, exact: true }))
      .finally(() =>
        runIds.forEach((id) => {
          adding.delete(id);
          changedWhileAdding.delete(id);
        }),
      );
  };
  /** Runs whose `created` event is being turned into a row, and those of them an event changed meanwhile. */
  const adding = useRef(new Set<string>()).current;
  const changedWhileAdding = useRef(new Set<string>()).current;

  const onEvents = (events: RunEvent[]) => {
    const onScreen = shown();
    const flat = currentRequest().parentRunId === '*';
    const changed = new Set<string>();
    const said = new Map<string, Partial<StudioRun>>();
    const created: string[] = [];
    const plotted = new Set<string>();
    let listsChanged = false;
    for (const event of events) {
      if (event.kind === 'log') continue;
      if (event.kind === 'created') {
        if (!event.parentRunId || flat) created.push(event.runId);
        else if (onScreen.has(event.parentRunId)) {
          // An expanded parent's children, and its own row (its child count).
          changed.add(event.parentRunId);
          invalidations.add(`children:${event.parentRunId}`, childrenOf(event.parentRunId));
        }
        continue;
      }
      if (event.kind === 'metrics') plotted.add(event.runId);
      if (adding.has(event.runId)) changedWhileAdding.add(event.runId);
      if (!onScreen.has(event.runId)) continue;
      if (event.kind === 'deleted' || event.fields?.includes('lifecycle')) listsChanged = true;
      else changed.add(event.runId);
      const status = event.kind === 'status' ? statusOf(event) : null;
      if (status) said.set(event.runId, { ...said.get(event.runId), ...status });
    }
    patcher.apply(said);
    if (changed.size > 0) patcher.refresh(changed);
    if (created.length > 0) addNewRuns(created);
    if (listsChanged) invalidations.add('lists', { queryKey: runKeys.lists() });
    if (plotted.size > 0) invalidations.add(`series:${[...plotted].join(',')}`, seriesOf(plotted));
  };

  const up = useRunEvents(experimentId ? { experiments: [experimentId] } : {}, {
    onEvents,
    onReset: () => invalidations.add('all', { queryKey: runKeys.all }),
    // What changed between the first read of the table and the stream's opening.
    onFirstReady: () => patcher.refresh(liveRunIds()),
  });

  useEffect(() => {
    if (up) return undefined;
    const timer = setInterval(() => {
      const runIds = liveRunIds();
      if (runIds.length > 0 && !document.hidden) patcher.refresh(runIds);
    }, FALLBACK_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [up, patcher]);
  return up;
}
