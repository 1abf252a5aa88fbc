import Anser from 'anser';
import styles from './log-viewer.module.css';

const decorationClass: Record<string, string | undefined> = { bold: styles.bold, dim: styles.dim, italic: styles.italic, underline: styles.underline };

/** One log line with its ANSI colours, as React spans: the text is never parsed as HTML. */
export function AnsiLine({ text }: { text: string }) {
  if (!text.includes('\u001b[')) return <>{text}</>;
  const tokens = Anser.ansiToJson(text, { json: true, remove_empty: true });
  return (
    <>
      {tokens.map((t, i) => (
        <span
          key={i}
          className={t.decorations.map((d) => decorationClass[d] ?? '').join(' ') || undefined}
          style={{ color: t.fg ? `rgb(${t.fg})` : undefined, backgroundColor: t.bg ? `rgb(${t.bg})` : undefined }}
        >
          {t.content}
        </span>
      ))}
    </>
  );
}
