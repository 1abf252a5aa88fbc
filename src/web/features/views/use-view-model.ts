import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useBlocker, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { sameView, viewableState, type ExplorerState } from '../../../shared/studio/explorer-state.js';
import type { SavedView, ViewSummary, ViewVisibility } from '../../../shared/studio/views.js';
import { ApiRequestError } from '../../lib/api-client.js';
import { useExplorerState } from '../runs/state/use-explorer-state.js';
import { useViewMutations, viewQueries } from './api/view-queries.js';

/**
 * Everything the view bar does: the open view (`?view=ID`), whether the table differs from
 * it, save / save as / update / rename / share / delete, the 409 when someone saved first,
 * and asking before unsaved changes are left behind.
 */
export function useViewModel(experimentId: string | undefined) {
  const { state } = useExplorerState();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const scope = experimentId ?? null;
  const viewId = state.view;
  const view = useQuery({ ...viewQueries.detail(viewId ?? ''), enabled: viewId !== undefined });
  const list = useQuery(viewQueries.list());
  const { create, update, rename: renameView, remove } = useViewMutations();
  const [conflict, setConflict] = useState<string | null>(null);

  /** `settled`: a navigation after the view was saved, reloaded or deleted; nothing is lost by it. */
  const go = (search: ExplorerState, replace = false, target: string | null = scope, settled = false) =>
    target === null
      ? navigate({ to: '/runs', search: search as never, replace, ignoreBlocker: settled })
      : navigate({ to: '/experiments/$experimentId', params: { experimentId: target }, search: search as never, replace, ignoreBlocker: settled });

  // A link that names only a view opens with that view's state.
  const applied = useRef<string | null>(null);
  useEffect(() => {
    if (!view.data || applied.current === view.data.id) return;
    applied.current = view.data.id;
    if (Object.keys(viewableState(state)).length === 0) void go({ ...view.data.state, view: view.data.id }, true, view.data.experimentId, true);
  }, [view.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const current: SavedView | undefined = viewId ? view.data : undefined;
  const dirty = current !== undefined && !sameView(state, current.state);
  const blocker = useBlocker({
    shouldBlockFn: ({ current: from, next }) =>
      dirty && (from.pathname !== next.pathname || (next.search as { view?: string }).view !== viewId),
    enableBeforeUnload: () => dirty,
    withResolver: true,
  });

  const isConflict = (error: unknown): error is ApiRequestError => error instanceof ApiRequestError && error.code === 'RESOURCE_CONFLICT';
  /** Rename: a 409 opens the conflict dialog; any other error goes back to the name dialog, which shows it. */
  const onConflict = (error: unknown) => {
    if (isConflict(error)) setConflict(error.message);
    else throw error;
  };
  /** Update, share, delete: a 409 opens the conflict dialog; the global toast has shown any other error. Never rejects. */
  const settle = (error: unknown) => {
    if (isConflict(error)) setConflict(error.message);
  };
  const link = (v: SavedView) => `${window.location.origin}${v.experimentId === null ? '/runs' : `/experiments/${v.experimentId}`}?view=${v.id}`;

  return {
    current,
    dirty,
    loading: viewId !== undefined && view.isPending,
    missing: viewId !== undefined && view.isError ? view.error.message : null,
    mine: (list.data?.mine ?? []).filter((v) => v.experimentId === scope),
    shared: (list.data?.shared ?? []).filter((v) => v.experimentId === scope),
    blocker,
    conflict,
    clearConflict: () => setConflict(null),
    /** The picker lists views without their states: opening one reads its state first. */
    open: async (v: ViewSummary | null) => {
      if (!v) return go({});
      const full = await queryClient.fetchQuery(viewQueries.detail(v.id)).catch(() => null);
      // Gone or unreadable: open its link anyway, and the bar says why it cannot be shown.
      if (!full) return go({ view: v.id }, false, v.experimentId);
      applied.current = full.id;
      return go({ ...full.state, view: full.id }, false, full.experimentId);
    },
    save: async (name: string, visibility: ViewVisibility) => {
      const saved = await create.mutateAsync({ name, visibility, experimentId: scope, state: viewableState(state) });
      applied.current = saved.id;
      await go({ ...state, view: saved.id }, true, scope, true);
      return saved;
    },
    update: async () => {
      if (!current) return;
      await update.mutateAsync({ id: current.id, version: current.version, state: viewableState(state) }).catch(settle);
    },
    rename: async (name: string) => {
      if (!current) return;
      await renameView.mutateAsync({ id: current.id, version: current.version, name }).catch(onConflict);
    },
    share: async (): Promise<string | null> => {
      if (!current) return null;
      if (current.visibility === 'shared') return link(current);
      const shared = await update.mutateAsync({ id: current.id, version: current.version, visibility: 'shared' }).catch((e: unknown) => (settle(e), null));
      return shared ? link(shared) : null;
    },
    remove: async () => {
      if (!current) return;
      const ok = await remove.mutateAsync({ id: current.id, version: current.version }).then(() => true, (e: unknown) => (settle(e), false));
      if (ok) await go({}, true, scope, true);
    },
    reload: async () => {
      setConflict(null);
      const fresh = await view.refetch();
      if (fresh.data) await go({ ...fresh.data.state, view: fresh.data.id }, true, fresh.data.experimentId, true);
    },
  };
}

export type ViewModel = ReturnType<typeof useViewModel>;
