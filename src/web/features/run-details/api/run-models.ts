import { useQueries, useQuery } from '@tanstack/react-query';
import type { LoggedModel } from '../../../../shared/mlflow/logged-models.js';
import type { Run } from '../../../../shared/mlflow/types.js';
import { isLive } from '../../../../shared/run-status.js';
import { modelQueries } from '../../../lib/queries/model-queries.js';
import { useLiveStreamUp } from '../../../lib/live/use-run-events.js';
import { LIVE_REFRESH_MS } from '../../../lib/queries/run-queries.js';

const pending = (models: LoggedModel[] | undefined) => models?.some((m) => m.info.status === 'LOGGED_MODEL_PENDING') ?? false;

export interface RunModels {
  models: LoggedModel[];
  /** How many models the run has, as far as known (its outputs before the search answers). */
  count: number | undefined;
  /** Models of the run's outputs that could not be read (deleted since, say). */
  unavailable: Array<{ modelId: string; message: string }>;
  isPending: boolean;
  error: Error | null;
}

/**
 * The logged models of a run: those whose source run it is, then any model of its
 * `outputs` not among them (a model logged elsewhere and linked to this run). Read only
 * when `enabled` (the Models tab is open, or the run has outputs, for the tab's count);
 * re-read while the run is live (and the run-event stream down) or a model is still uploading
 * (no event says when an upload ends).
 */
export function useRunModels(run: Run, enabled: boolean): RunModels {
  const pushed = useLiveStreamUp();
  const live = isLive(run.info.status) && !pushed;
  const outputIds = [...new Set((run.outputs?.model_outputs ?? []).map((o) => o.model_id))];
  const search = useQuery({
    ...modelQueries.ofRun(run.info.experiment_id, run.info.run_id),
    enabled,
    refetchInterval: (query) => (live || pending(query.state.data?.models) ? LIVE_REFRESH_MS : false),
  });
  const listed = new Set((search.data?.models ?? []).map((m) => m.info.model_id));
  const extraIds = search.data ? outputIds.filter((id) => !listed.has(id)) : [];
  const extras = useQueries({
    queries: extraIds.map((id) => ({
      ...modelQueries.detail(id),
      refetchInterval: (query: { state: { data?: { model: LoggedModel } } }) => (pending(query.state.data ? [query.state.data.model] : undefined) ? LIVE_REFRESH_MS : false),
    })),
  });
  const models = [...(search.data?.models ?? []), ...extras.flatMap((q) => (q.data ? [q.data] : []))];
  return {
    models,
    unavailable: extras.flatMap((q, i) => (q.error ? [{ modelId: extraIds[i]!, message: q.error.message }] : [])),
    count: search.data ? models.length + extras.filter((q) => !q.data).length : outputIds.length || undefined,
    isPending: search.isPending || extras.some((q) => q.isPending),
    error: search.error,
  };
}
