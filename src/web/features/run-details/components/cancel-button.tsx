import { OctagonX } from 'lucide-react';
import { AlertDialog } from 'radix-ui';
import ui from '../../../components/ui.module.css';
import { useCancelRun } from '../api/run-mutations.js';
import styles from './run-details.module.css';

/** "Cancel", with a confirmation whose confirming button is "Cancel run". */
export function CancelButton({ runId, runName, enabled }: { runId: string; runName: string; enabled: boolean }) {
  const cancel = useCancelRun(runId);
  return (
    <AlertDialog.Root>
      <AlertDialog.Trigger asChild>
        <button type="button" className={ui.button} disabled={!enabled || cancel.isPending}>
          <OctagonX size={15} aria-hidden /> Cancel
        </button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={styles.dialogOverlay} />
        <AlertDialog.Content className={styles.dialog}>
          <AlertDialog.Title>Cancel this run?</AlertDialog.Title>
          <AlertDialog.Description>
            “{runName}” will be stopped and marked Canceled. Its logs, metrics and outputs so far are kept.
          </AlertDialog.Description>
          <div className={styles.dialogActions}>
            <AlertDialog.Cancel asChild>
              <button type="button" className={ui.button}>
                Keep running
              </button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <button type="button" className={`${ui.button} ${styles.danger}`} onClick={() => cancel.mutate()}>
                Cancel run
              </button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
