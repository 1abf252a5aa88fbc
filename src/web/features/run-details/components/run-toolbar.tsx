import { isLive } from '../../../../shared/run-status.js';
import { useQueryClient } from '@tanstack/react-query';
import { RefreshCw } from 'lucide-react';
import type { RunInfo } from '../../../../shared/mlflow/types.js';
import type { RunControl } from '../../../../shared/studio/control.js';
import ui from '../../../components/ui.module.css';
import { runKeys } from '../../../lib/query-keys.js';
import { CancelButton } from './cancel-button.js';
import { FailButton } from './fail-button.js';
import { NotifyMeButton } from './notify-me-button.js';
import styles from './run-details.module.css';
import { reportError } from '../../../lib/report-error.js';

/** The run's actions: Cancel and Mark as failed while it is queued or running, and Refresh. */
/** `control` is undefined while it loads and null when it could not be read. */
export function RunToolbar({ info, control }: { info: RunInfo; control: RunControl | null | undefined }) {
  const queryClient = useQueryClient();
  const active = isLive(info.status);
  const cancelRequested = control?.cancelRequested ?? false;
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Run actions">
      <CancelButton runId={info.run_id} runName={info.run_name} enabled={active && !cancelRequested} control={control} />
      <FailButton runId={info.run_id} runName={info.run_name} enabled={active} launched={control?.launched ?? false} />
      {active && <NotifyMeButton runId={info.run_id} runName={info.run_name} />}
      <button
        type="button"
        className={ui.button}
        onClick={() => {
          queryClient.invalidateQueries({ queryKey: runKeys.all }).catch(reportError);
        }}
      >
        <RefreshCw size={15} aria-hidden /> Refresh
      </button>
    </div>
  );
}
