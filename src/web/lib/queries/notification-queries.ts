import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { endpoints, type EndpointBody, type EndpointResponse } from '../../../shared/api/index.js';
import type { Delivery } from '../../../shared/studio/notifications.js';
import { api } from '../api-client.js';

/**
 * Notification rules and their deliveries. Kept beside their queries rather than in
 * query-keys.ts (as session.ts does): the notifications page and the run page's "Notify me"
 * are their only readers, and nothing outside invalidates them.
 *
 * notifications ─ lists · deliveries(ruleId)
 */
export const notificationKeys = {
  all: ['notifications'] as const,
  lists: () => [...notificationKeys.all, 'list'] as const,
  deliveries: (ruleId: string) => [...notificationKeys.all, 'deliveries', ruleId] as const,
};

/** Why e-mail rules cannot be added on this server (the list's `email` is false); the page and the run page say it. */
export const NO_EMAIL_REASON = 'This server sends no e-mail: its operator starts it with --smtp-url.';

/** Why a non-admin cannot add an e-mail rule: it can only send to their account address, and they have none. */
export const NO_OWN_EMAIL_REASON = 'Your account has no e-mail address yet: ask an admin to set one.';

/** Said beside a non-admin's address, which they cannot change (the server refuses any other). */
export const OWN_EMAIL_NOTE = 'Your rules send to your account address; an admin changes it.';

/** While something waits to be sent, the page reads again when its next try is due: at least this often… */
export const PENDING_REFRESH_MS = 2000;
/** …at most this seldom; with nothing pending it reads this often while the page is in view (a run may fail meanwhile). */
export const IDLE_REFRESH_MS = 30_000;

/** When to read again: soon after the next try of what is pending, else at the idle pace; never while the last read failed. */
function refreshAfter(failed: boolean, pending: Array<number | null>): number | false {
  if (failed) return false;
  if (pending.length === 0) return IDLE_REFRESH_MS;
  const due = Math.min(...pending.map((at) => (at === null ? 0 : at - Date.now())));
  return Math.min(IDLE_REFRESH_MS, Math.max(PENDING_REFRESH_MS, due + 500));
}

type RuleList = EndpointResponse<typeof endpoints.notifications.list>;

/**
 * Where the caller's new e-mail rules may send, from the rule list: nowhere (saying why; nothing
 * said while the list loads); only to their account address (`fixed`: non-admins); or anywhere
 * (admins). `to` is the address a form starts with: their own, or '' for an admin without one.
 */
export function emailAccess(list: RuleList | undefined): { allowed: boolean; reason: string | null; to: string; fixed: boolean } {
  const to = list?.ownEmail ?? '';
  const fixed = list?.anyAddress === false;
  if (list === undefined) return { allowed: false, reason: null, to, fixed };
  if (!list.email) return { allowed: false, reason: NO_EMAIL_REASON, to, fixed };
  if (fixed && list.ownEmail === null) return { allowed: false, reason: NO_OWN_EMAIL_REASON, to, fixed };
  return { allowed: true, reason: null, to, fixed };
}

/** The rules the caller sees (an admin: everyone's), whether the server sends e-mail, and where the caller's may go. */
export const notificationQueries = {
  list: () =>
    queryOptions({
      queryKey: notificationKeys.lists(),
      queryFn: ({ signal }) => api(endpoints.notifications.list, { signal }),
      refetchInterval: (query) =>
        refreshAfter(
          query.state.status === 'error',
          (query.state.data?.rules ?? []).filter((r) => r.deliveries.pending > 0).map((r) => (r.deliveries.last?.state === 'pending' ? r.deliveries.last.nextAttemptAt : null)),
        ),
    }),
  /** One rule's latest deliveries, newest first; read again while any is pending. */
  deliveries: (ruleId: string) =>
    queryOptions({
      queryKey: notificationKeys.deliveries(ruleId),
      queryFn: ({ signal }) => api(endpoints.notifications.deliveries, { params: { id: ruleId }, signal }).then((r) => r.deliveries),
      refetchInterval: (query) =>
        refreshAfter(
          query.state.status === 'error',
          (query.state.data ?? []).filter((d) => d.state === 'pending').map((d) => d.nextAttemptAt),
        ),
    }),
};

/**
 * Create (its error shown in its form; a webhook's secret comes back once), pause or resume
 * (optimistic: the rule shows Paused at once and goes back if refused), delete, and send a
 * test (the answer says how it went, so the caller shows it). Each refreshes the lists.
 */
export function useNotificationMutations() {
  const queryClient = useQueryClient();
  const settled = () => queryClient.invalidateQueries({ queryKey: notificationKeys.lists() });
  const create = useMutation({
    mutationFn: (body: EndpointBody<typeof endpoints.notifications.create>) => api(endpoints.notifications.create, { body }),
    meta: { handlesError: true },
    // Its answer holds a webhook's secret: not kept in the cache once its form is done with it.
    gcTime: 0,
    onSettled: settled,
  });
  const setPaused = useMutation({
    mutationFn: ({ id, paused }: { id: string; paused: boolean }) => api(endpoints.notifications.update, { params: { id }, body: { paused } }),
    onMutate: async ({ id, paused }) => {
      await queryClient.cancelQueries({ queryKey: notificationKeys.lists() });
      const mark = (value: boolean) =>
        queryClient.setQueryData<RuleList>(notificationKeys.lists(), (list) => list && { ...list, rules: list.rules.map((r) => (r.id === id ? { ...r, paused: value } : r)) });
      mark(paused);
      return { undo: () => mark(!paused) };
    },
    // Only this rule goes back: another toggle under way keeps its own state.
    onError: (_error, _vars, context) => context?.undo(),
    onSettled: settled,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(endpoints.notifications.delete, { params: { id } }),
    onSettled: settled,
  });
  const test = useMutation({
    mutationFn: (id: string): Promise<Delivery> => api(endpoints.notifications.test, { params: { id } }),
    onSettled: (_delivery, _error, id) => Promise.all([settled(), queryClient.invalidateQueries({ queryKey: notificationKeys.deliveries(id) })]),
  });
  return { create, setPaused, remove, test };
}
