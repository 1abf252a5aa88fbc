import { useQuery, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import Papa from 'papaparse';
import { Markdown } from '../../../components/markdown.js';
import ui from '../../../components/ui.module.css';
import styles from './run-details.module.css';

const MAX_PREVIEW_BYTES = 5 * 1024 * 1024;
const imageTypes = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp']);
const textTypes = new Set(['txt', 'log', 'yaml', 'yml', 'py', 'cfg', 'ini', 'toml', 'sh', 'out', 'err', 'mlmodel', '']);

function kindOf(path: string): 'image' | 'json' | 'csv' | 'markdown' | 'text' | 'other' {
  const name = path.split('/').pop() ?? '';
  const ext = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : name === 'MLmodel' ? 'mlmodel' : '';
  if (imageTypes.has(ext)) return 'image';
  if (ext === 'json') return 'json';
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  if (ext === 'md') return 'markdown';
  if (textTypes.has(ext)) return 'text';
  return 'other';
}

export interface ArtifactPreviewProps<K extends QueryKey> {
  /** The file's path, as its heading and the name its contents are labelled with. */
  path: string;
  /** Where the file downloads from (and an image loads from). */
  url: string;
  size: number | undefined;
  /** How to read the file's text (a run's artifact, a logged model's file). */
  textQuery: UseQueryOptions<string, Error, string, K>;
  /** The Download link's accessible name; "Download" when not given. */
  downloadLabel?: string;
}

/**
 * Previews one artifact: images shown, JSON pretty-printed, CSV as a table, text as text
 * (never as HTML); other types are offered as a download.
 */
export function ArtifactPreview<K extends QueryKey>({ path, url, size, textQuery, downloadLabel }: ArtifactPreviewProps<K>) {
  const kind = kindOf(path);
  const tooBig = (size ?? 0) > MAX_PREVIEW_BYTES;
  const text = useQuery({ ...textQuery, enabled: kind !== 'image' && kind !== 'other' && !tooBig });
  const body = (() => {
    if (kind === 'image') return <img src={url} alt={path} className={styles.previewImage} />;
    if (kind === 'other') return <p className={styles.muted}>No preview for this type of file; download it to open it.</p>;
    if (tooBig) return <p className={styles.muted}>This file is larger than 5 MB; download it to open it.</p>;
    if (text.isPending) return <p role="status">Loading preview…</p>;
    if (text.error) return <p role="alert">Could not load this file: {text.error.message}</p>;
    if (kind === 'json') {
      let pretty = text.data;
      try {
        pretty = JSON.stringify(JSON.parse(text.data), null, 2);
      } catch {
        // not valid JSON: shown as it is
      }
      return <pre aria-label={`Contents of ${path}`} className={styles.previewText}>{pretty}</pre>;
    }
    if (kind === 'csv') {
      const parsed = Papa.parse<string[]>(text.data, { skipEmptyLines: true, preview: 1001 });
      const [header = [], ...rows] = parsed.data;
      return (
        <div className={styles.scrollX}>
          <table className={styles.kvTable} aria-label={`Contents of ${path}`}>
            <thead>
              <tr>{header.map((h, i) => <th key={i} scope="col">{h}</th>)}</tr>
            </thead>
            <tbody>
              {rows.slice(0, 1000).map((row, r) => (
                <tr key={r}>{row.map((cell, c) => <td key={c}>{cell}</td>)}</tr>
              ))}
            </tbody>
          </table>
          {rows.length > 1000 && <p className={styles.muted}>The first 1,000 rows are shown.</p>}
        </div>
      );
    }
    if (kind === 'markdown') return <Markdown text={text.data} />;
    return <pre aria-label={`Contents of ${path}`} className={styles.previewText}>{text.data}</pre>;
  })();
  return (
    <div className={`${styles.card} ${styles.stack} ${styles.previewCard}`}>
      <div className={styles.row}>
        <strong className={styles.grow}>{path}</strong>
        <a className={ui.button} href={url} download={path.split('/').pop()} aria-label={downloadLabel}>
          <Download size={15} aria-hidden /> Download
        </a>
      </div>
      {body}
    </div>
  );
}
