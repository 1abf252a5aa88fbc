import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Run } from '../../../../shared/mlflow/types.js';
import type { RunKeys } from '../../../../shared/studio/experiments.js';
import type { StudioRun, StudioSearchRunsRequest, StudioSearchRunsResponse } from '../../../../shared/studio/runs.js';
import { apiFetch } from '../../../lib/api-client.js';

export const searchRuns = (request: StudioSearchRunsRequest, signal?: AbortSignal) =>
  apiFetch<StudioSearchRunsResponse>('/api/studio/runs/search', { body: request, ...(signal ? { signal } : {}) });

/** Children shown per "Load more" under an expanded run. */
export const CHILD_PAGE_SIZE = 100;

/** Query keys and fetchers of runs; nobody types a key by hand. */
export const runQueries = {
  all: () => ['runs'] as const,
  lists: () => [...runQueries.all(), 'list'] as const,
  list: (request: StudioSearchRunsRequest) =>
    infiniteQueryOptions({
      queryKey: [...runQueries.lists(), request] as const,
      queryFn: ({ pageParam, signal }) => searchRuns(pageParam ? { ...request, pageToken: pageParam } : request, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextPageToken,
      placeholderData: keepPreviousData,
    }),
  /** Direct children of a run, in the explorer's order (not its filters), a keyset page at a time. */
  children: (runId: string, orderBy: string[]) =>
    infiniteQueryOptions({
      queryKey: [...runQueries.lists(), 'children', runId, orderBy] as const,
      queryFn: ({ pageParam, signal }) =>
        searchRuns({ parentRunId: runId, orderBy, pageSize: CHILD_PAGE_SIZE, ...(pageParam ? { pageToken: pageParam } : {}) }, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextPageToken,
    }),
  details: () => [...runQueries.all(), 'detail'] as const,
  detail: (runId: string) =>
    queryOptions({
      queryKey: [...runQueries.details(), runId] as const,
      queryFn: ({ signal }) => apiFetch<{ run: Run }>(`/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(runId)}`, { signal }).then((r) => r.run),
    }),
  keys: (experimentIds: string[]) =>
    queryOptions({
      queryKey: [...runQueries.all(), 'keys', experimentIds] as const,
      queryFn: ({ signal }) => apiFetch<RunKeys>(`/api/studio/keys?experimentIds=${experimentIds.join(',')}`, { signal }),
      staleTime: 30_000,
    }),
  keyValues: (entity: string, key: string, prefix: string, experimentIds: string[]) =>
    queryOptions({
      queryKey: [...runQueries.all(), 'key-values', entity, key, prefix, experimentIds] as const,
      queryFn: ({ signal }) =>
        apiFetch<{ values: string[] }>(
          `/api/studio/keys/values?${new URLSearchParams({ entity, key, prefix, experimentIds: experimentIds.join(',') })}`,
          { signal },
        ).then((r) => r.values),
      staleTime: 30_000,
    }),
};

export type { StudioRun };
