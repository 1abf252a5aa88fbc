import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { endpoints, type EndpointBody } from '../../../../shared/api/index.js';
import { api } from '../../../lib/api-client.js';
import { viewKeys } from '../../../lib/query-keys.js';

export const viewQueries = {
  list: () =>
    queryOptions({
      queryKey: viewKeys.lists(),
      queryFn: ({ signal }) => api(endpoints.views.list, { signal }),
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: viewKeys.detail(id),
      queryFn: ({ signal }) => api(endpoints.views.get, { params: { id }, signal }),
      staleTime: 0,
    }),
};

type ViewUpdate = { id: string } & EndpointBody<typeof endpoints.views.update>;

/**
 * Create, update, rename and delete views; every change refreshes the picker. Save and
 * rename show their errors in their dialog; a 409 (someone saved first) opens the conflict
 * dialog; any other failure is the global toast's.
 */
export function useViewMutations() {
  const queryClient = useQueryClient();
  // The picker's lists; a saved view's own detail is written from the answer (stored), not read again.
  const settled = () => queryClient.invalidateQueries({ queryKey: viewKeys.lists() });
  const stored = (view: Awaited<ReturnType<typeof api<typeof endpoints.views.update>>>) => queryClient.setQueryData(viewKeys.detail(view.id), view);
  const update = ({ id, ...body }: ViewUpdate) => api(endpoints.views.update, { params: { id }, body });
  const create = useMutation({
    mutationFn: (body: EndpointBody<typeof endpoints.views.create>) => api(endpoints.views.create, { body }),
    meta: { handlesError: true },
    onSettled: settled,
  });
  const save = useMutation({ mutationFn: update, meta: { handlesCodes: ['RESOURCE_CONFLICT'] }, onSuccess: stored, onSettled: settled });
  const rename = useMutation({ mutationFn: update, meta: { handlesError: true }, onSuccess: stored, onSettled: settled });
  const remove = useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) => api(endpoints.views.delete, { params: { id }, query: { version } }),
    meta: { handlesCodes: ['RESOURCE_CONFLICT'] },
    onSuccess: (_answer, { id }) => queryClient.removeQueries({ queryKey: viewKeys.detail(id) }),
    onSettled: settled,
  });
  return { create, update: save, rename, remove };
}
