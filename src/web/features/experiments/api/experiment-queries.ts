import { queryOptions } from '@tanstack/react-query';
import type { StudioExperiment } from '../../../../shared/studio/experiments.js';
import { apiFetch } from '../../../lib/api-client.js';

export const experimentQueries = {
  all: () => ['experiments'] as const,
  lists: () => [...experimentQueries.all(), 'list'] as const,
  list: () =>
    queryOptions({
      queryKey: experimentQueries.lists(),
      queryFn: ({ signal }) => apiFetch<{ experiments: StudioExperiment[] }>('/api/studio/experiments', { signal }).then((r) => r.experiments),
    }),
};
