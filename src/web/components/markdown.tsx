import { useNavigate } from '@tanstack/react-router';
import type { AnchorHTMLAttributes } from 'react';
import ReactMarkdown from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import styles from './markdown.module.css';

/** Links inside the app (`/runs/…`, `/experiments/…`) navigate in place; others open a new tab. */
function MarkdownLink({ href = '', children, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement>) {
  const navigate = useNavigate();
  const internal = href.startsWith('/') && !href.startsWith('//');
  if (internal) {
    return (
      <a
        {...rest}
        href={href}
        onClick={(event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
          event.preventDefault();
          void navigate({ to: href });
        }}
      >
        {children}
      </a>
    );
  }
  return (
    <a {...rest} href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  );
}

/**
 * Markdown as the studio shows it everywhere (GFM: tables, task lists, images, links).
 * Raw HTML is never rendered and the HTML that Markdown produces is sanitised, so no text
 * a user wrote can run script.
 */
export function Markdown({ text }: { text: string }) {
  return (
    <div className={styles.markdown}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSanitize]} components={{ a: MarkdownLink }}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
