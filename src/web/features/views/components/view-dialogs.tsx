import { Dialog } from 'radix-ui';
import { useState, type FormEvent } from 'react';
import type { ViewVisibility } from '../../../../shared/studio/views.js';
import { ALLOWED, usePermissionProps, type Permission } from '../../../components/permission-note.js';
import ui from '../../../components/ui.module.css';
import styles from './views.module.css';

/** Name (and, for a new view, who can see it): Save view, Save as, Rename. */
export function NameDialog(props: {
  open: boolean;
  title: string;
  submitLabel: string;
  initialName: string;
  askVisibility: boolean;
  /** Whether a new view may be shared (contributors and up); a reader saves privately. */
  sharePermission?: Permission;
  onClose: () => void;
  onSubmit: (name: string, visibility: ViewVisibility) => Promise<unknown>;
}) {
  const [name, setName] = useState(props.initialName);
  const [visibility, setVisibility] = useState<ViewVisibility>('private');
  const [error, setError] = useState<string | null>(null);
  const sharing = props.sharePermission ?? ALLOWED;
  const shareGate = usePermissionProps(sharing);
  // A failed save or rename is shown here, in the dialog, which stays open.
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return setError('A view needs a name.');
    props.onSubmit(name.trim(), visibility).then(props.onClose, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <Dialog.Root open={props.open} onOpenChange={(open) => !open && props.onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className={styles.overlay} />
        <Dialog.Content className={styles.dialog} aria-describedby={undefined}>
          <Dialog.Title className={styles.title}>{props.title}</Dialog.Title>
          <form onSubmit={submit} className={styles.form} noValidate>
            <label className={ui.field}>
              View name
              <input className={ui.input} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoFocus />
            </label>
            {props.askVisibility && (
              <fieldset className={styles.radios}>
                <legend className={ui.field}>Who can see it</legend>
                <label>
                  <input type="radio" name="visibility" checked={visibility === 'private'} onChange={() => setVisibility('private')} /> Only me (private)
                </label>
                <label>
                  <input type="radio" name="visibility" checked={visibility === 'shared'} onChange={() => sharing.allowed && setVisibility('shared')} {...shareGate.props} /> Everyone in the
                  workspace (shared)
                </label>
                {shareGate.note}
              </fieldset>
            )}
            {error && <p className={ui.error} role="alert">{error}</p>}
            <div className={styles.actions}>
              <Dialog.Close asChild>
                <button type="button" className={ui.button}>Discard</button>
              </Dialog.Close>
              <button type="submit" className={`${ui.button} ${ui.primary}`}>{props.submitLabel}</button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The link of a shared view, ready to copy. */
export function ShareDialog({ link, onClose }: { link: string | null; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog.Root open={link !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className={styles.overlay} />
        <Dialog.Content className={styles.dialog}>
          <Dialog.Title className={styles.title}>Share view</Dialog.Title>
          <Dialog.Description>This view is shared: everyone in the workspace can open it with this link.</Dialog.Description>
          <label className={ui.field}>
            Share link
            <input className={ui.input} readOnly value={link ?? ''} onFocus={(e) => e.target.select()} />
          </label>
          <div className={styles.actions}>
            <button
              type="button"
              className={ui.button}
              onClick={() => {
                navigator.clipboard?.writeText(link ?? '').then(() => setCopied(true), () => setCopied(false));
              }}
            >
              {copied ? 'Copied' : 'Copy link'}
            </button>
            <Dialog.Close asChild>
              <button type="button" className={`${ui.button} ${ui.primary}`}>Done</button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
