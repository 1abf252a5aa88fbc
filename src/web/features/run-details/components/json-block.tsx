import { useMemo } from 'react';
import styles from './json-block.module.css';

/** Text beyond this is not put in the page: a browser slows down on a multi-megabyte <pre>. */
export const JSON_BLOCK_LIMIT = 256 * 1024;

const kb = (chars: number) => `${Math.ceil(chars / 1024).toLocaleString('en')} KB`;

/** Pretty-prints JSON text (text that is not JSON is shown as it is) and cuts it at `limit` characters. */
export function prettyJson(text: string, limit = JSON_BLOCK_LIMIT): { shown: string; total: number; truncated: boolean } {
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: shown as it is
  }
  return { shown: pretty.length > limit ? pretty.slice(0, limit) : pretty, total: pretty.length, truncated: pretty.length > limit };
}

/** JSON text, pretty-printed, in a bounded scrolling block; says when only its first part is shown. */
export function JsonBlock({ text, label }: { text: string; label: string }) {
  const { shown, total, truncated } = useMemo(() => prettyJson(text), [text]);
  return (
    <div className={styles.block}>
      <pre aria-label={label} className={styles.pre} tabIndex={0}>
        {shown}
      </pre>
      {truncated && (
        <p className={styles.note}>
          Truncated: the first {kb(JSON_BLOCK_LIMIT)} of {kb(total)} are shown.
        </p>
      )}
    </div>
  );
}
