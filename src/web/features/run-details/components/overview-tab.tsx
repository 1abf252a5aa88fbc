import { Link } from '@tanstack/react-router';
import { useId } from 'react';
import type { Run } from '../../../../shared/mlflow/types.js';
import { FAIL_REASON_TAG } from '../../../../shared/studio/control.js';
import { exactTime } from '../../../lib/format.js';
import { ActivitySection } from './activity-section.js';
import { DatasetsSection } from './datasets-section.js';
import { DescriptionSection, DESCRIPTION_TAG } from './description-section.js';
import { KeyValueTable } from './key-value-table.js';
import { LaunchSection } from './launch-section.js';
import { LAUNCH_TAG_PREFIX } from './launch-tags.js';
import styles from './run-details.module.css';
import { TagsSection } from './tags-section.js';

/** Overview: why it failed, description, tags, properties (read-only), datasets, launch, activity, parent and timing. */
export function OverviewTab({ run }: { run: Run }) {
  const id = useId();
  const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
  const parent = tags['mlflow.parentRunId'];
  const failReason = tags[FAIL_REASON_TAG];
  const datasets = run.inputs.dataset_inputs ?? [];
  return (
    <>
      {failReason !== undefined && failReason !== '' && (
        <p className={styles.failNote} role="note">
          <strong>Failed:</strong> {failReason}
        </p>
      )}
      <DescriptionSection runId={run.info.run_id} text={tags[DESCRIPTION_TAG]} />
      <TagsSection runId={run.info.run_id} tags={run.data.tags} />
      <section className={styles.section} aria-labelledby={`${id}-props`}>
        <div className={styles.sectionHead}>
          <h2 id={`${id}-props`}>Properties</h2>
        </div>
        <p className={`${styles.muted} ${styles.flush}`}>
          Properties are the parameters a run logged. They cannot be changed once logged.
        </p>
        {run.data.params.length === 0 ? (
          <p className={styles.muted}>No properties logged.</p>
        ) : (
          <KeyValueTable rows={run.data.params} labelledBy={`${id}-props`} />
        )}
      </section>
      {datasets.length > 0 && <DatasetsSection inputs={datasets} />}
      {run.data.tags.some((t) => t.key.startsWith(LAUNCH_TAG_PREFIX)) && <LaunchSection tags={tags} />}
      <ActivitySection runId={run.info.run_id} />
      <section className={styles.section} aria-labelledby={`${id}-timing`}>
        <div className={styles.sectionHead}>
          <h2 id={`${id}-timing`}>Run</h2>
        </div>
        <table className={styles.kvTable} aria-labelledby={`${id}-timing`}>
          <tbody>
            <tr>
              <td>Run ID</td>
              <td className="num">{run.info.run_id}</td>
            </tr>
            <tr>
              <td>Parent run</td>
              <td>{parent ? <Link to="/runs/$runId" params={{ runId: parent }}>{parent}</Link> : 'none (a top-level run)'}</td>
            </tr>
            <tr>
              <td>Started</td>
              <td>{exactTime(run.info.start_time)}</td>
            </tr>
            <tr>
              <td>Ended</td>
              <td>{run.info.end_time ? exactTime(run.info.end_time) : 'not yet'}</td>
            </tr>
            <tr>
              <td>Artifact location</td>
              <td>{run.info.artifact_uri}</td>
            </tr>
          </tbody>
        </table>
      </section>
    </>
  );
}
