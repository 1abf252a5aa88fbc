import Anser from 'anser';
import type { CSSProperties } from 'react';
import styles from './log-viewer.module.css';

const decorationClass: Record<string, string | undefined> = { bold: styles.bold, dim: styles.dim, italic: styles.italic, underline: styles.underline };
const named = /^ansi-(bright-)?(black|red|green|yellow|blue|magenta|cyan|white)$/;

/** A named ANSI colour maps to the theme's palette (readable on both backgrounds). */
function colour(value: string | null): string | undefined {
  if (!value) return undefined;
  if (named.test(value)) return `var(--${value})`;
  if (/^\d+, ?\d+, ?\d+$/.test(value)) return `rgb(${value})`;
  return undefined;
}

/** One log line with its ANSI colours, as React spans: the text is never parsed as HTML. */
export function AnsiLine({ text }: { text: string }) {
  if (!text.includes('\u001b[')) return <>{text}</>;
  const tokens = Anser.ansiToJson(text, { json: true, remove_empty: true, use_classes: true });
  return (
    <>
      {tokens.map((t, i) => {
        const style: CSSProperties = { color: colour(t.fg), backgroundColor: colour(t.bg) };
        return (
          <span key={i} className={t.decorations.map((d) => decorationClass[d] ?? '').join(' ') || undefined} style={style}>
            {t.content}
          </span>
        );
      })}
    </>
  );
}
