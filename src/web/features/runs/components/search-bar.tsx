import { Search } from 'lucide-react';
import { useEffect, useState } from 'react';
import ui from '../../../components/ui.module.css';
import styles from './explorer.module.css';

/** The full-text search box; typing is debounced before it reaches the URL and the server. */
export function SearchBar({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const [text, setText] = useState(value);
  // When the URL's value changes (back, a link, a cleared search), the box shows it: set
  // while rendering, as React advises for state derived from a prop, not in an effect.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  useEffect(() => {
    if (text === value) return undefined;
    const timer = setTimeout(() => onChange(text), 300);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <div className={styles.search}>
      <Search size={16} aria-hidden className={styles.searchIcon} />
      <input
        type="search"
        aria-label="Search runs"
        placeholder="Search name, description, tags, experiment, submitter, status…"
        className={`${ui.input} ${styles.searchInput}`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onChange(text);
        }}
      />
    </div>
  );
}
