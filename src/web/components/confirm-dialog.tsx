import { AlertDialog } from 'radix-ui';
import type { ReactNode } from 'react';
import ui from './ui.module.css';
import styles from './confirm-dialog.module.css';

/** A yes/no question in an alert dialog: cancelling a run, deleting, discarding, a conflict. The owner closes it (`open`). */
export function Confirm(props: { open: boolean; title: string; children: ReactNode; confirmLabel: string; cancelLabel: string; onConfirm: () => void; onCancel: () => void; danger?: boolean }) {
  return (
    <AlertDialog.Root open={props.open} onOpenChange={(open) => !open && props.onCancel()}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={styles.overlay} />
        <AlertDialog.Content className={styles.dialog}>
          <AlertDialog.Title className={styles.title}>{props.title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div>{props.children}</div>
          </AlertDialog.Description>
          <div className={styles.actions}>
            {/* Cancel and Escape close through onOpenChange (one onCancel); confirming is a plain
                button, so closing after it never also reads as a cancel: the owner closes the dialog. */}
            <AlertDialog.Cancel asChild>
              <button type="button" className={ui.button}>{props.cancelLabel}</button>
            </AlertDialog.Cancel>
            <button type="button" className={`${ui.button} ${ui.primary} ${props.danger ? ui.danger : ''}`} onClick={props.onConfirm}>
              {props.confirmLabel}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
