import { Check, Copy } from 'lucide-react';
import { Dialog } from 'radix-ui';
import { useId, useState } from 'react';
import ui from '../../../components/ui.module.css';
import { reportError } from '../../../lib/report-error.js';
import styles from './notifications.module.css';
import { focusPageTitle } from './page-focus.js';

/** A new webhook's signing secret, straight after adding its rule: the only time the page has it. */
export function WebhookSecretDialog({ created, onClose }: { created: { ruleName: string; secret: string } | null; onClose: () => void }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const handleCopy = () => {
    if (created) navigator.clipboard.writeText(created.secret).then(() => setCopied(true), reportError);
  };
  return (
    <Dialog.Root
      open={created !== null}
      onOpenChange={(open) => {
        if (open) return;
        setCopied(false);
        onClose();
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className={styles.overlay} />
        <Dialog.Content
          className={styles.dialog}
          aria-describedby={`${id}-once`}
          // Opened by a form that is gone now: focus goes to the page's heading, not the body.
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            focusPageTitle();
          }}
        >
          <Dialog.Title className={styles.dialogTitle}>Signing secret of “{created?.ruleName}”</Dialog.Title>
          <div className={styles.form}>
            <label className={ui.field} htmlFor={`${id}-secret`}>
              Webhook signing secret
            </label>
            <div className={styles.secretRow}>
              <input id={`${id}-secret`} className={`${ui.input} ${styles.secretInput}`} readOnly value={created?.secret ?? ''} onFocus={(e) => e.target.select()} />
              <button type="button" className={ui.button} onClick={handleCopy}>
                {copied ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />} {copied ? 'Copied' : 'Copy'}
              </button>
            </div>
            <p id={`${id}-once`} className={styles.strong}>
              Copy it now: it is not shown again.
            </p>
            <p className={styles.muted}>
              Each request carries <code className={styles.code}>webhook-id</code>, <code className={styles.code}>webhook-timestamp</code> and{' '}
              <code className={styles.code}>webhook-signature</code> headers (Standard Webhooks): the signature is an HMAC-SHA256 of{' '}
              <code className={styles.code}>id.timestamp.body</code> with this secret. Check it before trusting a request; see the README.
            </p>
            <div className={styles.formActions}>
              <Dialog.Close asChild>
                <button type="button" className={`${ui.button} ${ui.primary}`}>
                  Done
                </button>
              </Dialog.Close>
            </div>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
