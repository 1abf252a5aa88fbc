import { queryOptions } from '@tanstack/react-query';
import type { Experiment } from '../../../../shared/mlflow/types.js';
import { apiFetch } from '../../../lib/api-client.js';

export const experimentQueries = {
  all: () => ['experiments'] as const,
  lists: () => [...experimentQueries.all(), 'list'] as const,
  list: () =>
    queryOptions({
      queryKey: experimentQueries.lists(),
      queryFn: ({ signal }) =>
        apiFetch<{ experiments?: Experiment[] }>('/api/2.0/mlflow/experiments/search', {
          body: { max_results: 1000, order_by: ['name ASC'] },
          signal,
        }).then((r) => r.experiments ?? []),
    }),
};
