import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { z } from 'zod';

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

/**
 * What localStorage holds, read defensively: it may be old, hand-edited or corrupt, and a
 * field that does not parse falls back to its default rather than break the page.
 */
const storedSchema = z.object({
  theme: z.enum(['light', 'dark', 'system']).catch('system'),
  defaultSmoothing: z.number().min(0).max(0.99).catch(0),
  panelSizes: z.record(z.string().max(100), z.enum(['s', 'm', 'l'])).catch({}),
  recentViews: z
    .array(z.object({ id: z.string().max(100), name: z.string().max(500), experimentId: z.string().max(100).nullable() }))
    .max(RECENT_VIEWS)
    .catch([]),
});
type Stored = z.infer<typeof storedSchema>;

function readStored(value: unknown): Stored {
  return storedSchema.parse(typeof value === 'object' && value !== null ? value : {});
}

/**
 * Version 1 (never wired to the UI) kept `panelHeights` and recent views without their scope;
 * both are dropped rather than guessed.
 */
function migrate(persisted: unknown, version: number): Stored {
  const stored = readStored(persisted);
  return version < 2 ? { ...stored, panelSizes: {}, recentViews: [] } : stored;
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
      // Every load, not only a migration, goes through the schema.
      merge: (persisted, current) => ({ ...current, ...readStored(persisted) }),
      partialize: (s): Stored => ({ theme: s.theme, defaultSmoothing: s.defaultSmoothing, panelSizes: s.panelSizes, recentViews: s.recentViews }),
    },
  ),
);

/** Puts the chosen theme on <html data-theme>, where the CSS tokens read it; 'system' follows the OS. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
