import { useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback, useMemo } from 'react';
import { explorerDefaults, parseExplorerState, type ExplorerState } from '../../shared/studio/explorer-state.js';
import { reportError } from './report-error.js';

export type ResolvedExplorerState = typeof explorerDefaults;

/**
 * The explorer's state, read from and written to the URL: the one place it lives, so a
 * pasted link or a reload shows the same table. Values equal to the defaults are left out
 * of the URL to keep links short. Shared by the run explorer and the view bar (a saved
 * view is a saved explorer state), so it lives here rather than in either feature.
 */
export function useExplorerState() {
  const raw = useSearch({ strict: false });
  const navigate = useNavigate();
  const state = useMemo(() => parseExplorerState(raw), [raw]);
  const resolved: ResolvedExplorerState = useMemo(() => ({ ...explorerDefaults, ...state }), [state]);

  const update = useCallback(
    (patch: Partial<ExplorerState>, options: { replace?: boolean } = {}) => {
      navigate({
        to: '.',
        replace: options.replace ?? false,
        search: (prev: Record<string, unknown>) => {
          const next: Record<string, unknown> = { ...prev, ...patch };
          for (const [key, value] of Object.entries(next)) {
            const fallback = (explorerDefaults as Record<string, unknown>)[key];
            if (value === undefined || JSON.stringify(value) === JSON.stringify(fallback)) delete next[key];
          }
          return next;
        },
      }).catch(reportError);
    },
    [navigate],
  );
  return { state, resolved, update };
}
