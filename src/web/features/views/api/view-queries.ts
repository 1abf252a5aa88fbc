import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ExplorerState } from '../../../../shared/studio/explorer-state.js';
import type { SavedView, ViewSummary, ViewVisibility } from '../../../../shared/studio/views.js';
import { apiFetch } from '../../../lib/api-client.js';

export const viewQueries = {
  all: () => ['views'] as const,
  list: () =>
    queryOptions({
      queryKey: [...viewQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiFetch<{ mine: ViewSummary[]; shared: ViewSummary[] }>('/api/studio/views', { signal }),
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...viewQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) => apiFetch<SavedView>(`/api/studio/views/${id}`, { signal }),
      staleTime: 0,
    }),
};

/** Create, update and delete views; every change refreshes the picker. */
export function useViewMutations() {
  const queryClient = useQueryClient();
  const settled = () => void queryClient.invalidateQueries({ queryKey: viewQueries.all() });
  const create = useMutation({
    mutationFn: (input: { name: string; visibility: ViewVisibility; experimentId: string | null; state: ExplorerState }) => apiFetch<SavedView>('/api/studio/views', { body: input }),
    onSettled: settled,
  });
  const update = useMutation({
    mutationFn: ({ id, ...body }: { id: string; version: number; name?: string; visibility?: ViewVisibility; state?: ExplorerState }) => apiFetch<SavedView>(`/api/studio/views/${id}`, { method: 'PUT', body }),
    onSuccess: (view) => queryClient.setQueryData(viewQueries.detail(view.id).queryKey, view),
    onSettled: settled,
  });
  const remove = useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) => apiFetch<unknown>(`/api/studio/views/${id}?version=${version}`, { method: 'DELETE' }),
    onSettled: settled,
  });
  return { create, update, remove };
}
