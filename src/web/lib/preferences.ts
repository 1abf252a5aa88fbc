import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/**
 * Per-device tastes, kept in this browser's localStorage (never in the URL, never on the
 * server): what one person prefers on one machine. Shareable state lives in the URL;
 * server data only in TanStack Query.
 */
export type Theme = 'light' | 'dark' | 'system';

/** A chart panel's width: a third, half or all of the row (Small, Medium, Wide). */
export type PanelSize = 's' | 'm' | 'l';
export const DEFAULT_PANEL_SIZE: PanelSize = 'm';

export interface RecentView {
  id: string;
  name: string;
  /** The view's scope: its experiment, or null for a view of all runs. */
  experimentId: string | null;
}

export interface Preferences {
  theme: Theme;
  /** Smoothing of every line chart on this device (0 to 0.99, TensorBoard's EMA weight). */
  defaultSmoothing: number;
  /**
   * Size of each chart panel, by panel id; absent means Medium. Panel ids live in the URL
   * and in saved views, so a view opened again keeps the sizes chosen on this screen.
   */
  panelSizes: Record<string, PanelSize>;
  /** Saved views opened last, newest first. */
  recentViews: RecentView[];
  setTheme: (theme: Theme) => void;
  setDefaultSmoothing: (value: number) => void;
  setPanelSize: (panelId: string, size: PanelSize) => void;
  viewOpened: (view: RecentView) => void;
  forgetView: (id: string) => void;
}

export const RECENT_VIEWS = 8;
/** Sizes kept at most: panels come and go, and their ids with them; the oldest are dropped. */
export const PANEL_SIZES_KEPT = 200;
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

type Stored = Pick<Preferences, 'theme' | 'defaultSmoothing' | 'panelSizes' | 'recentViews'>;

/**
 * Version 1 (never wired to the UI) kept `panelHeights` and recent views without their scope;
 * both are dropped rather than guessed.
 */
function migrate(persisted: unknown, version: number): Stored {
  const old = (persisted ?? {}) as Partial<Stored>;
  const base = { theme: old.theme ?? 'system', defaultSmoothing: old.defaultSmoothing ?? 0 };
  if (version < 2) return { ...base, panelSizes: {}, recentViews: [] };
  return { ...base, panelSizes: old.panelSizes ?? {}, recentViews: old.recentViews ?? [] };
}

export const usePreferences = create<Preferences>()(
  persist(
    (set) => ({
      theme: 'system',
      defaultSmoothing: 0,
      panelSizes: {},
      recentViews: [],
      setTheme: (theme) => set({ theme }),
      setDefaultSmoothing: (value) => set({ defaultSmoothing: clamp(value, 0, 0.99) }),
      setPanelSize: (panelId, size) =>
        set((s) => {
          const { [panelId]: _previous, ...rest } = s.panelSizes;
          const entries = Object.entries(size === DEFAULT_PANEL_SIZE ? rest : { ...rest, [panelId]: size });
          return { panelSizes: Object.fromEntries(entries.slice(-PANEL_SIZES_KEPT)) };
        }),
      viewOpened: (view) => set((s) => ({ recentViews: [view, ...s.recentViews.filter((v) => v.id !== view.id)].slice(0, RECENT_VIEWS) })),
      forgetView: (id) => set((s) => ({ recentViews: s.recentViews.filter((v) => v.id !== id) })),
    }),
    {
      name: 'runstudio.preferences',
      version: 2,
      migrate,
      partialize: (s): Stored => ({ theme: s.theme, defaultSmoothing: s.defaultSmoothing, panelSizes: s.panelSizes, recentViews: s.recentViews }),
    },
  ),
);

/** Puts the chosen theme on <html data-theme>, where the CSS tokens read it; 'system' follows the OS. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
