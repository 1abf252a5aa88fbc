import { useQuery } from '@tanstack/react-query';
import { OctagonX } from 'lucide-react';
import { useState } from 'react';
import type { RunControl } from '../../../../shared/studio/control.js';
import { Confirm } from '../../../components/confirm-dialog.js';
import { GatedButton } from '../../../components/permission-note.js';
import ui from '../../../components/ui.module.css';
import { useCan } from '../../../lib/session.js';
import { useCancelRun } from '../api/run-control.js';
import { runDetailQueries } from '../api/run-detail-queries.js';
import styles from './run-actions.module.css';

/** Seconds as a person writes them: "2", "0.5", "90". */
const seconds = (ms: number) => String(Math.round(ms / 100) / 10);

/**
 * What Cancel will do to this run, said before it is done. `control` is undefined while it
 * loads and null when it could not be read.
 */
export function CancelConsequence({ control, hasChildren }: { control: RunControl | null | undefined; hasChildren: boolean }) {
  const children = hasChildren ? ' Its queued and running child runs are canceled too.' : '';
  if (control === undefined) return <p role="status">Checking whether Runstudio launched this run…</p>;
  if (control === null) return <p>Runstudio could not tell whether it launched this run. If it did not, its process is not stopped: the run is only marked Canceled.{children}</p>;
  if (!control.launched) {
    return (
      <p>
        <strong>Runstudio did not launch this run and cannot stop its process:</strong> the run will only be marked Canceled. If a script is still working on it,
        stop that script where it runs.{children}
      </p>
    );
  }
  const where = control.host ? <>on <strong>{control.host}</strong></> : 'where it runs';
  const pid = control.pid ? ` (pid ${control.pid})` : '';
  const grace = control.graceMs === null ? '' : ` after ${seconds(control.graceMs)} s`;
  return (
    <p>
      Runstudio launched this run. Its process{pid} {where} gets SIGTERM now, then SIGKILL if it is still running{grace}. The run shows Cancel requested until the
      launcher confirms, then Canceled.{children}
    </p>
  );
}

/** "Cancel", with a confirmation whose confirming button is "Cancel run"; contributors and up. */
export function CancelButton({ runId, runName, enabled, control }: { runId: string; runName: string; enabled: boolean; control: RunControl | null | undefined }) {
  const cancel = useCancelRun(runId);
  const permission = useCan('contributor');
  const hasChildren = useQuery({ ...runDetailQueries.hasChildren(runId), enabled });
  const [asking, setAsking] = useState(false);
  return (
    <>
      <GatedButton permission={permission} className={ui.button} disabled={!enabled || cancel.isPending} onClick={() => setAsking(true)}>
        <OctagonX size={15} aria-hidden /> Cancel
      </GatedButton>
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
        <div className={styles.dialogText}>
          <p>“{runName}” will be canceled. Its logs, metrics and outputs so far are kept.</p>
          <CancelConsequence control={control} hasChildren={hasChildren.data ?? false} />
        </div>
      </Confirm>
    </>
  );
}
