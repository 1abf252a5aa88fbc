import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useBlocker, useNavigate } from '@tanstack/react-router';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { sameView, viewableState, type ExplorerState } from '../../../../shared/studio/explorer-state.js';
import type { SavedView, ViewSummary, ViewVisibility } from '../../../../shared/studio/views.js';
import { ApiRequestError } from '../../../lib/api-client.js';
import { usePreferences } from '../../../lib/preferences.js';
import { reportError } from '../../../lib/report-error.js';
import { useExplorerState } from '../../../lib/use-explorer-state.js';
import { useViewMutations, viewQueries } from '../api/view-queries.js';

/**
 * Everything the view bar does: the open view (`?view=ID`), whether the table differs from
 * it, save / save as / update / rename / share / delete, the 409 when someone saved first,
 * asking before unsaved changes are left behind, and this device's recent views.
 *
 * Handlers the bar calls on a click never reject: a failure is the conflict dialog (409),
 * the global mutation toast, or reportError. `save` and `rename` reject, for their dialog.
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
  const [shareLink, setShareLink] = useState<string | null>(null);
  const recentViews = usePreferences((s) => s.recentViews);
  const viewOpened = usePreferences((s) => s.viewOpened);
  const forgetView = usePreferences((s) => s.forgetView);

  /** `settled`: a navigation after the view was saved, reloaded or deleted; nothing is lost by it. */
  const go = (search: ExplorerState, replace = false, target: string | null = scope, settled = false) =>
    target === null
      ? navigate({ to: '/runs', search: search as never, replace, ignoreBlocker: settled })
      : navigate({ to: '/experiments/$experimentId', params: { experimentId: target }, search: search as never, replace, ignoreBlocker: settled });

  // A link that names only a view opens with that view's state. Run when the view arrives;
  // the table's state at that moment decides, and a later change to it must not re-apply.
  const applied = useRef<string | null>(null);
  const applyLinkedView = useEffectEvent((linked: SavedView) => {
    if (applied.current === linked.id) return;
    applied.current = linked.id;
    if (Object.keys(viewableState(state)).length === 0) go({ ...linked.state, view: linked.id }, true, linked.experimentId, true).catch(reportError);
  });
  useEffect(() => {
    if (view.data) applyLinkedView(view.data);
  }, [view.data]);

  const current: SavedView | undefined = viewId ? view.data : undefined;
  const dirty = current !== undefined && !sameView(state, current.state);

  // Recent views (a per-device preference): a view is recorded when it is open, under its
  // latest name, and forgotten once the server says it is gone (deleted, or not ours to see).
  const openedId = current?.id;
  const openedName = current?.name;
  const openedScope = current?.experimentId;
  useEffect(() => {
    if (openedId !== undefined && openedName !== undefined && openedScope !== undefined) viewOpened({ id: openedId, name: openedName, experimentId: openedScope });
  }, [openedId, openedName, openedScope, viewOpened]);
  const goneId = viewId !== undefined && view.error instanceof ApiRequestError && view.error.status === 404 ? viewId : null;
  useEffect(() => {
    if (goneId !== null) forgetView(goneId);
  }, [goneId, forgetView]);

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
  /** Update, share, delete: a 409 opens the conflict dialog; the global toast has shown any other error. */
  const settle = (error: unknown) => {
    if (isConflict(error)) setConflict(error.message);
  };
  const link = (v: SavedView) => `${window.location.origin}${v.experimentId === null ? '/runs' : `/experiments/${v.experimentId}`}?view=${v.id}`;

  /** The picker lists views without their states: opening one reads its state first. */
  const openView = async (v: Pick<ViewSummary, 'id' | 'experimentId'> | null) => {
    if (!v) return go({});
    const full = await queryClient.fetchQuery(viewQueries.detail(v.id)).catch(() => null);
    // Gone or unreadable: open its link anyway, and the bar says why it cannot be shown.
    if (!full) return go({ view: v.id }, false, v.experimentId);
    applied.current = full.id;
    return go({ ...full.state, view: full.id }, false, full.experimentId);
  };

  return {
    current,
    dirty,
    loading: viewId !== undefined && view.isPending,
    missing: viewId !== undefined && view.isError ? view.error.message : null,
    mine: (list.data?.mine ?? []).filter((v) => v.experimentId === scope),
    shared: (list.data?.shared ?? []).filter((v) => v.experimentId === scope),
    /** This device's recent views of this page, newest first, the open one left out. */
    recent: recentViews.filter((v) => v.experimentId === scope && v.id !== current?.id),
    blocker,
    conflict,
    clearConflict: () => setConflict(null),
    shareLink,
    closeShare: () => setShareLink(null),
    open: (v: Pick<ViewSummary, 'id' | 'experimentId'> | null) => {
      openView(v).catch(reportError);
    },
    save: async (name: string, visibility: ViewVisibility) => {
      const saved = await create.mutateAsync({ name, visibility, experimentId: scope, state: viewableState(state) });
      applied.current = saved.id;
      await go({ ...state, view: saved.id }, true, scope, true);
      return saved;
    },
    update: () => {
      if (!current) return;
      update.mutate({ id: current.id, version: current.version, state: viewableState(state) }, { onError: settle });
    },
    rename: async (name: string) => {
      if (!current) return;
      await renameView.mutateAsync({ id: current.id, version: current.version, name }).catch(onConflict);
    },
    /** Shows the view's link, sharing it first when it is private. */
    share: () => {
      if (!current) return;
      if (current.visibility === 'shared') return setShareLink(link(current));
      update.mutate({ id: current.id, version: current.version, visibility: 'shared' }, { onSuccess: (shared) => setShareLink(link(shared)), onError: settle });
    },
    remove: () => {
      if (!current) return;
      const { id } = current;
      remove.mutate(
        { id, version: current.version },
        {
          onSuccess: () => {
            forgetView(id);
            go({}, true, scope, true).catch(reportError);
          },
          onError: settle,
        },
      );
    },
    reload: () => {
      setConflict(null);
      view
        .refetch()
        .then((fresh) => (fresh.data ? go({ ...fresh.data.state, view: fresh.data.id }, true, fresh.data.experimentId, true) : undefined))
        .catch(reportError);
    },
  };
}

export type ViewModel = ReturnType<typeof useViewModel>;
