import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { LoggedModel, SearchLoggedModelsRequest } from '../../../../shared/mlflow/logged-models.js';
import { modelQueries } from '../../../lib/queries/model-queries.js';
import { reportError } from '../../../lib/report-error.js';
import { modelListDefaults, modelOrderField, type ModelListState } from '../model-list-state.js';

/** Models per page; "Load more" asks for the next. */
export const MODEL_PAGE_SIZE = 50;

/**
 * An experiment's logged models in the chosen order, page by page, with the display names of
 * their source runs (one run search for all of them) and the metric keys they carry.
 */
export function useExperimentModels(experimentId: string, state: ModelListState) {
  const sort = state.sort ?? modelListDefaults.sort;
  const desc = state.desc ?? modelListDefaults.desc;
  const request: SearchLoggedModelsRequest = { experiment_ids: [experimentId], order_by: [{ field_name: modelOrderField(sort), ascending: !desc }], max_results: MODEL_PAGE_SIZE };
  // The tokens of the pages "Load more" asked for, for one order: another order starts over.
  const order = `${sort}:${desc}`;
  const [more, setMore] = useState<{ order: string; tokens: string[] }>({ order, tokens: [] });
  const tokens = more.order === order ? more.tokens : [];
  // The order shown stays until the new one arrives (no flash of an empty table on a sort).
  const pages = useQueries({
    queries: [null, ...tokens].map((token) => ({ ...modelQueries.list(token ? { ...request, page_token: token } : request), placeholderData: keepPreviousData })),
  });
  const models: LoggedModel[] = pages.flatMap((p) => p.data?.models ?? []);
  const first = pages[0]!;
  const last = pages[pages.length - 1]!;
  const nextPageToken = last.data?.nextPageToken ?? null;

  const runIds = [...new Set(models.flatMap((m) => (m.info.source_run_id ? [m.info.source_run_id] : [])))].sort().slice(0, 1000);
  const runs = useQuery({ ...modelQueries.sourceRuns(runIds), placeholderData: keepPreviousData });
  const metricKeys = [...new Set(models.flatMap((m) => (m.data.metrics ?? []).map((x) => x.key)))].sort((a, b) => a.localeCompare(b));

  return {
    sort,
    desc,
    models,
    metricKeys,
    runs: runs.data,
    isPending: first.isPending,
    isSorting: first.isPlaceholderData,
    error: pages.find((p) => p.error)?.error ?? null,
    retry: () => {
      Promise.all(pages.filter((p) => p.error).map((p) => p.refetch())).catch(reportError);
    },
    hasMore: nextPageToken !== null,
    isLoadingMore: tokens.length > 0 && last.isPending,
    loadMore: () => {
      if (nextPageToken && last.data) setMore({ order, tokens: [...tokens, nextPageToken] });
    },
  };
}
