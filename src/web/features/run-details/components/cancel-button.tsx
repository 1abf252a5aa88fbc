import { OctagonX } from 'lucide-react';
import { useState } from 'react';
import { Confirm } from '../../../components/confirm-dialog.js';
import ui from '../../../components/ui.module.css';
import { useCancelRun } from '../api/run-mutations.js';

/** "Cancel", with a confirmation whose confirming button is "Cancel run". */
export function CancelButton({ runId, runName, enabled }: { runId: string; runName: string; enabled: boolean }) {
  const cancel = useCancelRun(runId);
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button type="button" className={ui.button} disabled={!enabled || cancel.isPending} onClick={() => setAsking(true)}>
        <OctagonX size={15} aria-hidden /> Cancel
      </button>
      <Confirm
        open={asking}
        title="Cancel this run?"
        confirmLabel="Cancel run"
        cancelLabel="Keep running"
        danger
        onCancel={() => setAsking(false)}
        onConfirm={() => {
          setAsking(false);
          cancel.mutate();
        }}
      >
        “{runName}” will be stopped and marked Canceled. Its logs, metrics and outputs so far are kept.
      </Confirm>
    </>
  );
}
