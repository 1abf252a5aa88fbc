import { TriangleAlert } from 'lucide-react';
import { useId, useState } from 'react';
import { Confirm } from '../../../components/confirm-dialog.js';
import { GatedButton } from '../../../components/permission-note.js';
import ui from '../../../components/ui.module.css';
import styles from './run-actions.module.css';
import { useFailRun } from '../api/run-control.js';
import { useCan } from '../../../lib/session.js';

/** "Mark as failed": ends a queued or running run as Failed by hand, with an optional reason; contributors and up. */
export function FailButton({ runId, runName, enabled, launched }: { runId: string; runName: string; enabled: boolean; launched: boolean }) {
  const fail = useFailRun(runId);
  const permission = useCan('contributor');
  const id = useId();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const confirm = () => {
    setAsking(false);
    fail.mutate(reason);
  };
  return (
    <>
      <GatedButton
        permission={permission}
        className={ui.button}
        disabled={!enabled || fail.isPending}
        onClick={() => {
          setReason('');
          setAsking(true);
        }}
      >
        <TriangleAlert size={15} aria-hidden /> Mark as failed
      </GatedButton>
      <Confirm open={asking} title="Mark this run as failed?" confirmLabel="Mark run as failed" cancelLabel="Keep as it is" danger onCancel={() => setAsking(false)} onConfirm={confirm}>
        <div className={styles.dialogText}>
        <p>
          “{runName}” will be set to Failed now, for example when its process died without saying so.
          {launched ? ' Its launcher stops the process too.' : ' Runstudio did not launch this run, so any process still working on it is not stopped.'}
        </p>
        <form
          className={styles.reason}
          onSubmit={(event) => {
            event.preventDefault();
            confirm();
          }}
        >
          <label htmlFor={`${id}-reason`}>Reason (optional)</label>
          <input id={`${id}-reason`} className={ui.input} value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} placeholder="e.g. the node was preempted" />
        </form>
        </div>
      </Confirm>
    </>
  );
}
