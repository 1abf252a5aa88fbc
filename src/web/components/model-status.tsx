import { modelStatusHints, modelStatusWords, type LoggedModelStatus } from '../../shared/mlflow/logged-models.js';
import styles from './model-status.module.css';

/** A logged model's status: a word beside its colour (Pending amber, Ready green, Upload failed red). */
export function ModelStatus({ status }: { status: LoggedModelStatus }) {
  return (
    <span className={styles.status} data-status={status} title={modelStatusHints[status]}>
      <span className={styles.dot} aria-hidden="true" />
      {modelStatusWords[status]}
    </span>
  );
}
