import { Check, Copy } from 'lucide-react';
import { useEffect, useState } from 'react';
import ui from '../../../components/ui.module.css';
import { reportError } from '../../../lib/report-error.js';
import styles from './models-tab.module.css';

/** Text in monospace, selectable, with a button that copies it (named `Copy <what>`). */
export function CopyText({ text, what }: { text: string; what: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return undefined;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  };
  return (
    <span className={styles.copy}>
      <code className={styles.code}>{text}</code>
      <button type="button" className={`${ui.button} ${ui.icon} ${ui.ghost}`} aria-label={`Copy ${what}`} title={`Copy ${what}`} onClick={() => {
          copy().catch(reportError);
        }}>
        {copied ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
      </button>
      <span role="status" className={styles.muted}>
        {copied ? 'Copied' : ''}
      </span>
    </span>
  );
}
