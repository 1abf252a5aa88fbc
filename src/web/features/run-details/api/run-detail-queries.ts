import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { Run } from '../../../../shared/mlflow/types.js';
import type { RunControl } from '../../../../shared/studio/control.js';
import type { LogInfo, LogLines } from '../../../../shared/studio/logs.js';
import type { MetricSeries, MetricSeriesRequest } from '../../../../shared/studio/metrics.js';
import type { ChildRunsPage } from '../../../../shared/studio/runs.js';
import { apiFetch } from '../../../lib/api-client.js';

export interface ArtifactEntry {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

/** Child runs read per page on the Child runs tab. */
export const TREE_PAGE_SIZE = 200;

const isLive = (run: Run | undefined) => run?.info.status === 'RUNNING' || run?.info.status === 'SCHEDULED';

/** How often the page re-reads a live run and its control state. */
export const LIVE_REFRESH_MS = 2000;

/** Query keys and fetchers of one run's page. */
export const runDetailQueries = {
  all: (runId: string) => ['run', runId] as const,
  detail: (runId: string) =>
    queryOptions({
      queryKey: [...runDetailQueries.all(runId), 'detail'] as const,
      queryFn: ({ signal }) => apiFetch<{ run: Run }>(`/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(runId)}`, { signal }).then((r) => r.run),
      // A live run is re-read every 2 s: status, end time, latest metrics.
      refetchInterval: (query) => (isLive(query.state.data) ? LIVE_REFRESH_MS : false),
    }),
  /**
   * Whether a launcher holds the run and whether a cancel is pending: server state the
   * MLflow run lacks. The caller polls it while the run is live (see useRunControl).
   */
  control: (runId: string) =>
    queryOptions({
      queryKey: [...runDetailQueries.all(runId), 'control'] as const,
      queryFn: ({ signal }) => apiFetch<RunControl>(`/api/studio/runs/${runId}/control`, { signal }),
    }),
  /** Whether the run has any child run (one row read), for what Cancel says it will do. */
  hasChildren: (runId: string) =>
    queryOptions({
      queryKey: [...runDetailQueries.all(runId), 'has-children'] as const,
      queryFn: ({ signal }) => apiFetch<ChildRunsPage>(`/api/studio/runs/${runId}/children?pageSize=1`, { signal }).then((r) => r.runs.length > 0),
      staleTime: 30_000,
    }),
  ancestors: (runId: string) =>
    queryOptions({
      queryKey: [...runDetailQueries.all(runId), 'ancestors'] as const,
      queryFn: ({ signal }) => apiFetch<{ runs: Array<{ runId: string; runName: string; depth: number }> }>(`/api/studio/runs/${runId}/ancestors`, { signal }).then((r) => r.runs),
    }),
  experimentName: (experimentId: string) =>
    queryOptions({
      queryKey: ['experiment-name', experimentId] as const,
      queryFn: ({ signal }) =>
        apiFetch<{ experiment: { name: string } }>(`/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`, { signal }).then((r) => r.experiment.name),
      staleTime: 60_000,
    }),
  /** The whole tree below a run in pre-order, a keyset page at a time as the reader scrolls. */
  tree: (runId: string) =>
    infiniteQueryOptions({
      queryKey: [...runDetailQueries.all(runId), 'tree'] as const,
      queryFn: ({ pageParam, signal }) =>
        apiFetch<ChildRunsPage>(
          `/api/studio/runs/${runId}/children?${new URLSearchParams({ recursive: 'true', pageSize: String(TREE_PAGE_SIZE), ...(pageParam ? { pageToken: pageParam } : {}) })}`,
          { signal },
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextPageToken,
      // Coming back to the tab must not re-read every page scrolled through.
      staleTime: 60_000,
    }),
  logs: (runId: string) =>
    queryOptions({
      queryKey: [...runDetailQueries.all(runId), 'logs'] as const,
      queryFn: ({ signal }) => apiFetch<{ logs: LogInfo[] }>(`/api/studio/runs/${runId}/logs`, { signal }).then((r) => r.logs),
    }),
  logLines: (runId: string, name: string, start: number, count: number) =>
    queryOptions({
      queryKey: [...runDetailQueries.all(runId), 'log', name, start, count] as const,
      queryFn: ({ signal }) => apiFetch<LogLines>(`/api/studio/runs/${runId}/logs/${encodeURIComponent(name)}/lines?start=${start}&count=${count}`, { signal }),
      staleTime: Infinity,
    }),
  logSearch: (runId: string, name: string, q: string) =>
    queryOptions({
      queryKey: [...runDetailQueries.all(runId), 'log-search', name, q] as const,
      queryFn: ({ signal }) =>
        apiFetch<{ lines: number[]; truncated: boolean }>(`/api/studio/runs/${runId}/logs/${encodeURIComponent(name)}/search?q=${encodeURIComponent(q)}`, { signal }),
      enabled: q !== '',
    }),
  artifacts: (runId: string, path: string) =>
    queryOptions({
      queryKey: [...runDetailQueries.all(runId), 'artifacts', path] as const,
      queryFn: ({ signal }) =>
        apiFetch<{ root_uri: string; files?: ArtifactEntry[] }>(`/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=${encodeURIComponent(path)}`, { signal }).then((r) => ({
          root: r.root_uri.replace('mlflow-artifacts:/', ''),
          files: r.files ?? [],
        })),
    }),
  series: (request: MetricSeriesRequest) =>
    queryOptions({
      queryKey: ['metric-series', request] as const,
      queryFn: ({ signal }) => apiFetch<{ series: MetricSeries[] }>('/api/studio/metrics/series', { body: request, signal }).then((r) => r.series),
    }),
};

/** The download URL of one artifact through MLflow's artifact proxy. */
export const artifactUrl = (root: string, path: string) => `/api/2.0/mlflow-artifacts/artifacts/${root}/${path.split('/').map(encodeURIComponent).join('/')}`;
export const logUrl = (runId: string, name: string) => `/api/studio/runs/${runId}/logs/${encodeURIComponent(name)}`;
