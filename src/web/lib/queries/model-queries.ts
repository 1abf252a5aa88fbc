import { queryOptions } from '@tanstack/react-query';
import { endpoints } from '../../../shared/api/index.js';
import type { SearchLoggedModelsRequest } from '../../../shared/mlflow/logged-models.js';
import { quoteValue } from '../../../shared/studio/explorer-state.js';
import type { StudioSearchRunsRequest } from '../../../shared/studio/runs.js';
import { api } from '../api-client.js';
import { modelKeys, runKeys } from '../query-keys.js';
import { searchRuns } from './run-queries.js';

const e = endpoints.mlflow.models;

/** The logged-model queries the run page and the experiment page read. */
export const modelQueries = {
  /** One page of MLflow's logged-model search (`{}` when nothing matches: `models` absent). */
  list: (request: SearchLoggedModelsRequest) =>
    queryOptions({
      queryKey: modelKeys.list(request),
      queryFn: ({ signal }) => api(e.search, { body: request, signal }),
      select: (page) => ({ models: page.models ?? [], nextPageToken: page.next_page_token ?? null }),
    }),
  /** The models a run produced (whose source run it is), newest first. */
  ofRun: (experimentId: string, runId: string) => modelQueries.list({ experiment_ids: [experimentId], filter: `source_run_id = ${quoteValue(runId)}`, max_results: 1000 }),
  /**
   * The source runs of listed models (their display names), in one studio search by id: deleted
   * runs too, at any depth. A run list's key, so live updates and run edits refresh it.
   */
  sourceRuns: (runIds: string[]) => {
    const request: StudioSearchRunsRequest = { runIds, parentRunId: '*', viewType: 'ALL', pageSize: 1000 };
    return queryOptions({
      queryKey: runKeys.list(request),
      queryFn: ({ signal }) => searchRuns(request, signal),
      enabled: runIds.length > 0,
      select: (page) => new Map(page.runs.map((r) => [r.runId, r])),
    });
  },
  detail: (modelId: string) =>
    queryOptions({
      queryKey: modelKeys.detail(modelId),
      queryFn: ({ signal }) => api(e.get, { params: { model_id: modelId }, signal }),
      select: (body) => body.model,
    }),
  /** A directory of a model's artifacts, relative to its root. */
  artifacts: (modelId: string, path: string) =>
    queryOptions({
      queryKey: modelKeys.artifacts(modelId, path),
      queryFn: ({ signal }) => api(e.listArtifacts, { params: { model_id: modelId }, query: { artifact_directory_path: path }, signal }),
      select: (body) => ({ rootUri: body.root_uri, files: body.files ?? [] }),
    }),
};
