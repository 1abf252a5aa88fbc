import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { endpoints, type EndpointBody } from '../../../shared/api/index.js';
import { api } from '../api-client.js';
import { tokenKeys } from '../query-keys.js';

/** API tokens, read by the account page (one's own) and the admin page (everyone's). */
export const tokenQueries = {
  list: (all: boolean) =>
    queryOptions({
      queryKey: tokenKeys.list(all),
      queryFn: ({ signal }) => api(endpoints.tokens.list, { query: all ? { all: 'true' } : {}, signal }).then((r) => r.tokens),
    }),
};

/**
 * Create and revoke tokens; either refreshes every token list. Creating shows its error in
 * its form (the secret comes back in the answer, once); a failed revoke is the global toast's.
 */
export function useTokenMutations() {
  const queryClient = useQueryClient();
  const settled = () => queryClient.invalidateQueries({ queryKey: tokenKeys.lists() });
  const create = useMutation({
    mutationFn: (body: EndpointBody<typeof endpoints.tokens.create>) => api(endpoints.tokens.create, { body }),
    meta: { handlesError: true },
    onSettled: settled,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(endpoints.tokens.revoke, { params: { id } }),
    onSettled: settled,
  });
  return { create, revoke };
}
