import { isLive } from '../../../../shared/run-status.js';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { Run } from '../../../../shared/mlflow/types.js';
import { StatusBadge } from '../../../components/status-badge.js';
import { TimeAgo } from '../../../components/time-ago.js';
import { RunDuration } from '../../../components/run-duration.js';
import { experimentQueries } from '../../../lib/queries/experiment-queries.js';
import { runDetailQueries } from '../api/run-detail-queries.js';
import { useRunControl } from '../api/run-control.js';
import { EditableName } from './editable-name.js';
import styles from './run-details.module.css';
import { RunToolbar } from './run-toolbar.js';

/** The run's header: parents, display name, status, facts, and the toolbar. */
export function RunHeader({ run }: { run: Run }) {
  const { info } = run;
  const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
  const experiment = useQuery({ ...experimentQueries.detail(info.experiment_id), select: (e) => e.name });
  const ancestors = useQuery(runDetailQueries.ancestors(info.run_id));
  const active = isLive(info.status);
  const control = useRunControl(info.run_id, active);
  return (
    <>
      <nav aria-label="Breadcrumb">
        <ol className={styles.crumbs}>
          <li>
            <Link to="/experiments/$experimentId" params={{ experimentId: info.experiment_id }}>
              {experiment.data ?? `Experiment ${info.experiment_id}`}
            </Link>
          </li>
          {[...(ancestors.data ?? [])].reverse().map((a) => (
            <li key={a.runId}>
              <span aria-hidden="true">› </span>
              <Link to="/runs/$runId" params={{ runId: a.runId }}>
                {a.runName}
              </Link>
            </li>
          ))}
          <li aria-current="page">
            <span aria-hidden="true">› </span>
            {info.run_name}
          </li>
        </ol>
      </nav>
      <div className={styles.titleRow}>
        <EditableName key={info.run_name} runId={info.run_id} name={info.run_name} />
        <StatusBadge status={info.status} cancelRequested={control.data?.cancelRequested ?? false} />
        <RunToolbar info={info} control={control.isError ? null : control.data} />
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>Submitter</dt>
          <dd>{info.user_id || '—'}</dd>
        </div>
        <div>
          <dt>Compute target</dt>
          <dd>{tags['runstudio.compute'] ?? '—'}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <TimeAgo ms={info.start_time} />
          </dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{info.end_time ? <TimeAgo ms={info.end_time} /> : '—'}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>
            <RunDuration run={{ status: info.status, startTime: info.start_time, endTime: info.end_time ?? null }} />
          </dd>
        </div>
      </dl>
    </>
  );
}
