import { useEffect } from 'react';
import { applyTheme, usePreferences, type Theme } from '../lib/preferences.js';
import styles from './root-layout.module.css';

const choices: Array<{ value: Theme; label: string }> = [
  { value: 'system', label: 'System theme' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Light, dark or the system's: a per-device preference, applied at once and remembered. */
export function ThemePicker() {
  const theme = usePreferences((s) => s.theme);
  const setTheme = usePreferences((s) => s.setTheme);
  useEffect(() => applyTheme(theme), [theme]);
  return (
    <select className={styles.theme} aria-label="Theme" value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </select>
  );
}
