import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/**
 * Per-device tastes, kept in this browser's localStorage (never in the URL, never on the
 * server): what one person prefers on one machine. Shareable state lives in the URL;
 * server data only in TanStack Query.
 */
export type Theme = 'light' | 'dark' | 'system';

export interface RecentView {
  id: string;
  name: string;
}

export interface Preferences {
  theme: Theme;
  /** Smoothing a new line chart starts with (0 to 0.99, TensorBoard's EMA weight). */
  defaultSmoothing: number;
  /** Height in px of each chart panel, by panel id. */
  panelHeights: Record<string, number>;
  /** Saved views opened last, newest first. */
  recentViews: RecentView[];
  setTheme: (theme: Theme) => void;
  setDefaultSmoothing: (value: number) => void;
  setPanelHeight: (panelId: string, height: number) => void;
  viewOpened: (view: RecentView) => void;
  forgetView: (id: string) => void;
}

export const RECENT_VIEWS = 8;
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export const usePreferences = create<Preferences>()(
  persist(
    (set) => ({
      theme: 'system',
      defaultSmoothing: 0,
      panelHeights: {},
      recentViews: [],
      setTheme: (theme) => set({ theme }),
      setDefaultSmoothing: (value) => set({ defaultSmoothing: clamp(value, 0, 0.99) }),
      setPanelHeight: (panelId, height) => set((s) => ({ panelHeights: { ...s.panelHeights, [panelId]: clamp(Math.round(height), 120, 1200) } })),
      viewOpened: (view) => set((s) => ({ recentViews: [view, ...s.recentViews.filter((v) => v.id !== view.id)].slice(0, RECENT_VIEWS) })),
      forgetView: (id) => set((s) => ({ recentViews: s.recentViews.filter((v) => v.id !== id) })),
    }),
    { name: 'runstudio.preferences', version: 1 },
  ),
);

/** Puts the chosen theme on <html data-theme>, where the CSS tokens read it; 'system' follows the OS. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
