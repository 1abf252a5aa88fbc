import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { endpoints } from '../../../../shared/api/index.js';
import { api, apiRaw, apiUrl } from '../../../lib/api-client.js';
import { runKeys } from '../../../lib/query-keys.js';

export type { ArtifactEntry } from '../../../../shared/mlflow/types.js';

/** Child runs read per page on the Child runs tab. */
export const TREE_PAGE_SIZE = 200;

/** Changes the Overview lists: a short history, not an audit log. */
export const ACTIVITY_LIMIT = 20;

/** What the run page reads about one run besides the run itself (runQueries.detail); keys from the one run tree. */
export const runDetailQueries = {
  /**
   * Whether a launcher holds the run and whether a cancel is pending: server state the
   * MLflow run lacks. The caller polls it while the run is live (see useRunControl).
   */
  control: (runId: string) =>
    queryOptions({
      queryKey: runKeys.control(runId),
      queryFn: ({ signal }) => api(endpoints.control.get, { params: { id: runId }, signal }),
    }),
  /** Whether the run has any child run (one row read), for what Cancel says it will do. */
  hasChildren: (runId: string) =>
    queryOptions({
      queryKey: runKeys.hasChildren(runId),
      queryFn: ({ signal }) => api(endpoints.runs.children, { params: { id: runId }, query: { pageSize: 1 }, signal }).then((r) => r.runs.length > 0),
      staleTime: 30_000,
    }),
  ancestors: (runId: string) =>
    queryOptions({
      queryKey: runKeys.ancestors(runId),
      queryFn: ({ signal }) => api(endpoints.runs.ancestors, { params: { id: runId }, signal }).then((r) => r.runs),
    }),
  /** The whole tree below a run in pre-order, a keyset page at a time as the reader scrolls. */
  tree: (runId: string) =>
    infiniteQueryOptions({
      queryKey: runKeys.tree(runId),
      queryFn: ({ pageParam, signal }) =>
        api(endpoints.runs.children, { params: { id: runId }, query: { recursive: 'true', pageSize: TREE_PAGE_SIZE, ...(pageParam ? { pageToken: pageParam } : {}) }, signal }),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextPageToken,
      // Coming back to the tab must not re-read every page scrolled through.
      staleTime: 60_000,
    }),
  logs: (runId: string) =>
    queryOptions({
      queryKey: runKeys.logs(runId),
      queryFn: ({ signal }) => api(endpoints.logs.list, { params: { id: runId }, signal }).then((r) => r.logs),
    }),
  logLines: (runId: string, name: string, start: number, count: number) =>
    queryOptions({
      queryKey: runKeys.logLines(runId, name, start, count),
      queryFn: ({ signal }) => api(endpoints.logs.lines, { params: { id: runId, name }, query: { start, count }, signal }),
      staleTime: Infinity,
    }),
  logSearch: (runId: string, name: string, q: string) =>
    queryOptions({
      queryKey: runKeys.logSearch(runId, name, q),
      queryFn: ({ signal }) => api(endpoints.logs.search, { params: { id: runId, name }, query: { q }, signal }),
      enabled: q !== '',
    }),
  artifacts: (runId: string, path: string) =>
    queryOptions({
      queryKey: runKeys.artifacts(runId, path),
      queryFn: ({ signal }) =>
        api(endpoints.mlflow.artifacts.list, { query: { run_id: runId, path }, signal }).then((r) => ({
          root: r.root_uri.replace('mlflow-artifacts:/', ''),
          files: r.files ?? [],
        })),
    }),
  /** The run's latest changes and who made them, newest first (the Overview's Activity). */
  activity: (runId: string) =>
    queryOptions({
      queryKey: runKeys.activity(runId),
      queryFn: ({ signal }) => api(endpoints.runs.activity, { params: { id: runId }, query: { limit: ACTIVITY_LIMIT }, signal }).then((r) => r.activity),
    }),
  /** One artifact's text, for its preview. */
  artifactText: (runId: string, root: string, path: string) =>
    queryOptions({
      queryKey: runKeys.artifactFile(runId, path),
      queryFn: ({ signal }) => apiRaw(endpoints.mlflow.artifacts.download, { params: { '*': `${root}/${path}` }, signal }).then((r) => r.text()),
    }),
};

/** The download URL of one artifact through MLflow's artifact proxy. */
export const artifactUrl = (root: string, path: string) => apiUrl(endpoints.mlflow.artifacts.download, { params: { '*': `${root}/${path}` } });
/** A whole log, as the Download link gets it. */
export const logUrl = (runId: string, name: string) => apiUrl(endpoints.logs.download, { params: { id: runId, name } });
/** A log's live tail (server-sent events) from byte `from`. */
export const logStreamUrl = (runId: string, name: string, from: number) => apiUrl(endpoints.logs.stream, { params: { id: runId, name }, query: { from } });
