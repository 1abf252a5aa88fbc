import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { endpoints, type EndpointBody } from '../../../../shared/api/index.js';
import type { Role, User } from '../../../../shared/studio/auth.js';
import { api } from '../../../lib/api-client.js';
import { tokenKeys, userKeys } from '../../../lib/query-keys.js';
import { sessionKeys } from '../../../lib/session.js';

/** The users of a team server (admins only: anyone else gets a 403). */
export const userQueries = {
  list: () =>
    queryOptions({
      queryKey: userKeys.lists(),
      queryFn: ({ signal }) => api(endpoints.users.list, { signal }).then((r) => r.users),
    }),
};

/**
 * Add a user (errors shown in the form), set or clear an e-mail address (null; errors shown in
 * its form, which stays open until the server agrees), change a role (optimistic: the select shows the new
 * role at once and goes back if the server refuses, e.g. the last admin), remove a user
 * (their tokens go with them, so token lists are read again).
 */
export function useUserMutations() {
  const queryClient = useQueryClient();
  const settled = () => queryClient.invalidateQueries({ queryKey: userKeys.lists() });
  const create = useMutation({
    mutationFn: (body: EndpointBody<typeof endpoints.users.create>) => api(endpoints.users.create, { body }),
    meta: { handlesError: true },
    onSettled: settled,
  });
  const setRole = useMutation({
    mutationFn: ({ name, role }: { name: string; role: Role }) => api(endpoints.users.update, { params: { name }, body: { role } }),
    onMutate: async ({ name, role }) => {
      await queryClient.cancelQueries({ queryKey: userKeys.lists() });
      const before = queryClient.getQueryData<User[]>(userKeys.lists());
      queryClient.setQueryData<User[]>(userKeys.lists(), (users) => users?.map((u) => (u.name === name ? { ...u, role } : u)));
      return { before };
    },
    onError: (_error, _vars, context) => queryClient.setQueryData(userKeys.lists(), context?.before),
    // An admin who changed their own role sees the page of their new one: the session is read again.
    onSettled: () => Promise.all([settled(), queryClient.invalidateQueries({ queryKey: sessionKeys.all })]),
  });
  const setEmail = useMutation({
    mutationFn: ({ name, email }: { name: string; email: string | null }) => api(endpoints.users.update, { params: { name }, body: { email } }),
    meta: { handlesError: true },
    onSettled: settled,
  });
  const remove = useMutation({
    mutationFn: (name: string) => api(endpoints.users.remove, { params: { name } }),
    onSettled: () => Promise.all([settled(), queryClient.invalidateQueries({ queryKey: tokenKeys.lists() })]),
  });
  return { create, setRole, setEmail, remove };
}
