import { useEffect, useEffectEvent, useRef, type RefObject } from 'react';
import { count } from '../../../lib/format.js';
import type { MoreRow } from '../hooks/use-tree-rows.js';
import styles from './load-more-row.module.css';

interface LoadMoreRowProps {
  row: MoreRow;
  colCount: number;
  height: number;
  scrollRef: RefObject<HTMLElement | null>;
}

/**
 * The line after an expanded run's loaded children: a button for the next page, which also
 * presses itself when the line scrolls into view (the table is virtualised, so this line
 * exists only near the screen). After a failure it waits for the button.
 */
export function LoadMoreRow({ row, colCount, height, scrollRef }: LoadMoreRowProps) {
  const cellRef = useRef<HTMLTableCellElement>(null);
  const { loading, error, shown, onLoadMore } = row;
  // The latest handler, without re-observing when only the handler changed.
  const load = useEffectEvent(() => onLoadMore());
  useEffect(() => {
    const cell = cellRef.current;
    if (!cell || loading || error) return undefined;
    // Observed anew after each page: if the line is still in view, the next page follows.
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) load();
      },
      { root: scrollRef.current },
    );
    observer.observe(cell);
    return () => observer.disconnect();
  }, [loading, error, shown, scrollRef]);
  const total = Math.max(row.parent.childCount, shown);
  return (
    <tr className={styles.row} style={{ height }}>
      <td ref={cellRef} colSpan={colCount} style={{ paddingLeft: `${row.depth * 1.25 + 2.2}rem` }}>
        <button type="button" className={styles.button} onClick={onLoadMore}>
          Load more child runs<span className="visually-hidden"> of {row.parent.runName}</span>
        </button>
        <span className={`${styles.status} num`} role={error ? 'alert' : undefined}>
          {error ? `Could not load more: ${error}` : loading ? `Loading… ${count(shown)} of ${count(total)} shown` : `${count(shown)} of ${count(total)} shown`}
        </span>
      </td>
    </tr>
  );
}
