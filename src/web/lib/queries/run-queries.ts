import { infiniteQueryOptions, keepPreviousData, queryOptions, type QueryClient } from '@tanstack/react-query';
import { endpoints } from '../../../shared/api/index.js';
import { isLive } from '../../../shared/run-status.js';
import { quoteValue } from '../../../shared/studio/explorer-state.js';
import type { MetricSeriesRequest } from '../../../shared/studio/metrics.js';
import type { StudioSearchRunsRequest } from '../../../shared/studio/runs.js';
import { api } from '../api-client.js';
import { runKeys } from '../query-keys.js';

/** One page of the studio's run search. */
export const searchRuns = (body: StudioSearchRunsRequest, signal?: AbortSignal) => api(endpoints.runs.search, { body, signal });

/** Children shown per "Load more" under an expanded run. */
export const CHILD_PAGE_SIZE = 100;

/** How often a page re-reads a live run and its control state. */
export const LIVE_REFRESH_MS = 2000;


/**
 * Refreshes what a change to one run can alter: every list that shows runs (the explorer,
 * expanded children, the compare page), the run itself, its control state and its tree,
 * and the key names in scope (a new tag). Its logs, artifacts and metric series stay cached.
 */
export async function refreshRun(client: QueryClient, runId: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: runKeys.lists() }),
    client.invalidateQueries({ queryKey: runKeys.detail(runId), exact: true }),
    client.invalidateQueries({ queryKey: runKeys.control(runId) }),
    client.invalidateQueries({ queryKey: runKeys.hasChildren(runId) }),
    client.invalidateQueries({ queryKey: runKeys.tree(runId) }),
    client.invalidateQueries({ queryKey: runKeys.keyLists() }),
  ]);
}

/** The run queries several features read: lists, one run, metric series, key names. */
export const runQueries = {
  list: (request: StudioSearchRunsRequest) =>
    infiniteQueryOptions({
      queryKey: runKeys.list(request),
      queryFn: ({ pageParam, signal }) => searchRuns(pageParam ? { ...request, pageToken: pageParam } : request, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextPageToken,
      placeholderData: keepPreviousData,
    }),
  /** Direct children of a run, in the explorer's order (not its filters), a keyset page at a time. */
  children: (runId: string, orderBy: string[]) =>
    infiniteQueryOptions({
      queryKey: runKeys.children(runId, orderBy),
      queryFn: ({ pageParam, signal }) => searchRuns({ parentRunId: runId, orderBy, pageSize: CHILD_PAGE_SIZE, ...(pageParam ? { pageToken: pageParam } : {}) }, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextPageToken,
    }),
  /** The runs of the compare page, deleted or not, at any depth. */
  compare: (runIds: string[]) =>
    queryOptions({
      queryKey: runKeys.compare(runIds),
      queryFn: ({ signal }) => searchRuns({ parentRunId: '*', viewType: 'ALL', pageSize: 100, filter: `attributes.run_id IN (${runIds.map(quoteValue).join(', ')})` }, signal),
      enabled: runIds.length > 0,
    }),
  detail: (runId: string) =>
    queryOptions({
      queryKey: runKeys.detail(runId),
      queryFn: ({ signal }) => api(endpoints.mlflow.runs.get, { query: { run_id: runId }, signal }).then((r) => r.run),
      // A live run is re-read every 2 s: status, end time, latest metrics.
      refetchInterval: (query) => (isLive(query.state.data?.info.status ?? '') ? LIVE_REFRESH_MS : false),
    }),
  series: (request: MetricSeriesRequest) =>
    queryOptions({
      queryKey: runKeys.series(request),
      queryFn: ({ signal }) => api(endpoints.metrics.series, { body: request, signal }).then((r) => r.series),
    }),
  keys: (experimentIds: string[]) =>
    queryOptions({
      queryKey: runKeys.keys(experimentIds),
      queryFn: ({ signal }) => api(endpoints.keys.keys, { query: { experimentIds: experimentIds.join(',') }, signal }),
      staleTime: 30_000,
    }),
  keyValues: (entity: 'param' | 'tag' | 'metric' | 'user' | 'compute', key: string, prefix: string, experimentIds: string[]) =>
    queryOptions({
      queryKey: runKeys.keyValues(entity, key, prefix, experimentIds),
      queryFn: ({ signal }) => api(endpoints.keys.values, { query: { entity, key, prefix, experimentIds: experimentIds.join(',') }, signal }).then((r) => r.values),
      staleTime: 30_000,
    }),
};
