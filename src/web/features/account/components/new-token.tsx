import { useId, useState } from 'react';
import ui from '../../../components/ui.module.css';
import { reportError } from '../../../lib/report-error.js';
import styles from './account.module.css';

/** A token's secret, straight after creating it: the only time the page ever has it. */
export function NewToken({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const handleCopy = () => {
    navigator.clipboard.writeText(secret).then(() => setCopied(true), reportError);
  };
  return (
    <div className={styles.secret} role="region" aria-label="New token">
      <label className={ui.field} htmlFor={`${id}-secret`}>
        New token
      </label>
      <div className={styles.secretRow}>
        <input id={`${id}-secret`} className={`${ui.input} ${styles.secretInput}`} readOnly value={secret} onFocus={(e) => e.target.select()} />
        <button type="button" className={ui.button} onClick={handleCopy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p>
        <strong>Copy it now: it is not shown again.</strong>
      </p>
      <ul className={styles.hints}>
        <li>
          MLflow clients: <code className={styles.code}>export MLFLOW_TRACKING_TOKEN={secret}</code>
        </li>
        <li>
          The runstudio CLI: <code className={styles.code}>export RUNSTUDIO_TOKEN={secret}</code>
        </li>
      </ul>
      <p>
        <button type="button" className={ui.button} onClick={onDismiss}>
          Done
        </button>
      </p>
    </div>
  );
}
