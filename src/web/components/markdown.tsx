import { useNavigate } from '@tanstack/react-router';
import { ImageIcon } from 'lucide-react';
import type { AnchorHTMLAttributes, ImgHTMLAttributes } from 'react';
import ReactMarkdown from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import { reportError } from '../lib/report-error.js';
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
          navigate({ to: href }).catch(reportError);
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

/** The host of an image on another origin, or null for one of ours (a path, data: or blob:). */
export function foreignHost(src: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src) || /^(data|blob):/i.test(src)) return null;
  try {
    return new URL(src, window.location.href).host || src;
  } catch {
    return src;
  }
}

/**
 * An image from another site is not fetched when the description is read (no tracking pixel,
 * and the CSP would refuse it anyway): a placeholder names its host and opens it on click.
 */
function MarkdownImage({ src = '', alt = '', ...rest }: ImgHTMLAttributes<HTMLImageElement>) {
  const source = typeof src === 'string' ? src : '';
  const host = foreignHost(source);
  if (host === null) return <img {...rest} src={source} alt={alt} />;
  return (
    <a className={styles.external} href={source} target="_blank" rel="noopener noreferrer nofollow" aria-label={`Open image${alt ? ` “${alt}”` : ''} from ${host}`}>
      <ImageIcon size={15} aria-hidden />
      <span>
        {alt ? `${alt} · ` : ''}image from <strong>{host}</strong>, not loaded: open it
      </span>
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
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSanitize]} components={{ a: MarkdownLink, img: MarkdownImage }}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
