import type { LoggedModelStatus } from '../../../../shared/mlflow/logged-models.js';
import styles from './models-tab.module.css';

const words: Record<LoggedModelStatus, string> = {
  LOGGED_MODEL_STATUS_UNSPECIFIED: 'Unknown',
  LOGGED_MODEL_PENDING: 'Pending',
  LOGGED_MODEL_READY: 'Ready',
  LOGGED_MODEL_UPLOAD_FAILED: 'Upload failed',
};

const hints: Record<LoggedModelStatus, string> = {
  LOGGED_MODEL_STATUS_UNSPECIFIED: 'The client did not say how the upload went',
  LOGGED_MODEL_PENDING: 'Its files are still being uploaded',
  LOGGED_MODEL_READY: 'Its files are uploaded',
  LOGGED_MODEL_UPLOAD_FAILED: 'The upload of its files failed: some may be missing',
};

/** A logged model's status: a word beside its colour (Pending amber, Ready green, Upload failed red). */
export function ModelStatus({ status }: { status: LoggedModelStatus }) {
  return (
    <span className={styles.status} data-status={status} title={hints[status]}>
      <span className={styles.dot} aria-hidden="true" />
      {words[status]}
    </span>
  );
}
