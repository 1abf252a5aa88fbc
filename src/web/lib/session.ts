import { queryOptions, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { endpoints } from '../../shared/api/index.js';
import { roleAtLeast, roleReason, SESSION_ELEMENT_ID, sessionSchema, type Role, type Session } from '../../shared/studio/auth.js';
import { api, onUnauthenticated, setCsrfToken } from './api-client.js';
import { reportError } from './report-error.js';

/**
 * The session's one key. Kept here rather than in query-keys.ts: it is a single leaf, and
 * nothing invalidates it by branch; sign-in, sign-out and a 401 name it directly.
 */
export const sessionKeys = { all: ['session'] as const };

/**
 * Who the page is signed in as, and the mode. Reading it also hands its CSRF token to the
 * API client, so every write after it carries the token (team mode; null in local mode).
 */
export const sessionQuery = queryOptions({
  queryKey: sessionKeys.all,
  queryFn: async ({ signal }): Promise<Session> => {
    const session = await api(endpoints.auth.session, { signal });
    setCsrfToken(session.csrfToken);
    return session;
  },
  // It changes only by signing in or out (which write it) or by expiring (a 401 invalidates it).
  staleTime: Infinity,
});

/**
 * Puts the session the server wrote into this page's HTML in the cache (and its CSRF token in
 * the API client), so the first paint knows who is asking: no control waits on a request to
 * learn the user's role, and a signed-out page of a team server goes to sign-in at once.
 */
export function primeEmbeddedSession(client: QueryClient): QueryClient {
  const element = document.getElementById(SESSION_ELEMENT_ID);
  if (!element) return client;
  element.remove();
  let stored: unknown = null;
  try {
    stored = JSON.parse(element.textContent || 'null');
  } catch {
    // A session that does not parse is none: the page asks the server, as without one.
  }
  const parsed = sessionSchema.safeParse(stored);
  if (parsed.success) {
    setCsrfToken(parsed.data.csrfToken);
    client.setQueryData(sessionKeys.all, parsed.data);
  }
  return client;
}

/** What a signed-out page of a team server knows; written on sign-out instead of asking again. */
export const signedOutSession: Session = { mode: 'team', user: null, via: null, csrfToken: null };

export function useSession() {
  return useQuery(sessionQuery);
}

/**
 * Whether the signed-in user may do what needs `needed`, and if not the sentence that says
 * why (a disabled control's description). While the session loads nothing is allowed and
 * nothing is said: a control must not flash enabled for a reader. Local mode is an admin.
 */
export function useCan(needed: Role): { allowed: boolean; reason: string | null } {
  const role = useSession().data?.user?.role;
  if (role === undefined) return { allowed: false, reason: null };
  return roleAtLeast(role, needed) ? { allowed: true, reason: null } : { allowed: false, reason: roleReason(needed) };
}

/**
 * Reads the session again whenever a call is answered 401 (it ended or expired), so the root
 * layout shows sign-in. Mounted once, by the root layout.
 */
export function useSessionExpiry(): void {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onUnauthenticated(() => {
        queryClient.invalidateQueries({ queryKey: sessionKeys.all }).catch(reportError);
      }),
    [queryClient],
  );
}
