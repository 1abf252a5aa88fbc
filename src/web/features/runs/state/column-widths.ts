import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/** Column widths are per-device taste, not part of a shared link: kept in localStorage. */
interface ColumnWidths {
  widths: Record<string, number>;
  setWidths: (updater: (old: Record<string, number>) => Record<string, number>) => void;
}

export const useColumnWidths = create<ColumnWidths>()(
  persist(
    (set) => ({
      widths: {},
      setWidths: (updater) => set((state) => ({ widths: updater(state.widths) })),
    }),
    { name: 'runstudio.column-widths' },
  ),
);
