import { useMutation, useQueryClient } from '@tanstack/react-query';
import { endpoints } from '../../../../shared/api/index.js';
import { api, setCsrfToken } from '../../../lib/api-client.js';
import { sessionKeys, signedOutSession } from '../../../lib/session.js';

/**
 * Signs in; the answer is the new session, written to the cache as is. Whatever was cached
 * before (as nobody, or as someone else) is dropped. The sign-in form shows its own errors.
 */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; password: string }) => api(endpoints.auth.signIn, { body }),
    meta: { handlesError: true },
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKeys.all[0] });
      queryClient.setQueryData(sessionKeys.all, session);
    },
  });
}

/**
 * Signs out. `onSignedOut` runs after the server forgot the session and before the cache is
 * dropped (the caller leaves the page it was on); a failure is the global toast.
 */
export function useSignOut(onSignedOut: () => Promise<void>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api(endpoints.auth.signOut),
    onSuccess: async () => {
      setCsrfToken(null);
      await onSignedOut();
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKeys.all[0] });
      queryClient.setQueryData(sessionKeys.all, signedOutSession);
    },
  });
}
