import { queryOptions } from '@tanstack/react-query';
import { endpoints } from '../../../shared/api/index.js';
import { api } from '../api-client.js';
import { experimentKeys } from '../query-keys.js';

export const experimentQueries = {
  /** Every experiment with its run count and last activity. */
  list: () =>
    queryOptions({
      queryKey: experimentKeys.lists(),
      queryFn: ({ signal }) => api(endpoints.keys.experiments, { signal }).then((r) => r.experiments),
    }),
  /** One experiment, MLflow's shape (its name for a run's header). */
  detail: (experimentId: string) =>
    queryOptions({
      queryKey: experimentKeys.detail(experimentId),
      queryFn: ({ signal }) => api(endpoints.mlflow.experiments.get, { query: { experiment_id: experimentId }, signal }).then((r) => r.experiment),
      staleTime: 60_000,
    }),
};
