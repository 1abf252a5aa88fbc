import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { StatusBadge } from '../../../components/status-badge.js';
import { TimeAgo } from '../../../components/time-ago.js';
import { runQueries } from '../api/run-queries.js';
import styles from './run-page.module.css';

/** One run: its header and what it logged. The run details issue grows this page. */
export function RunPage({ runId }: { runId: string }) {
  const { data: run, error, isPending } = useQuery(runQueries.detail(runId));
  if (isPending) return <p className={styles.page} role="status">Loading run…</p>;
  if (error) return <p className={styles.page} role="alert">Could not load this run: {error.message}</p>;
  const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
  return (
    <article className={styles.page} aria-labelledby="run-title">
      <header className={styles.header}>
        <h1 id="run-title">{run.info.run_name}</h1>
        <StatusBadge status={run.info.status} cancelRequested={tags['runstudio.cancelRequested'] === 'true'} />
      </header>
      <dl className={styles.facts}>
        <dt>Experiment</dt>
        <dd>
          <Link to="/experiments/$experimentId" params={{ experimentId: run.info.experiment_id }}>
            Experiment {run.info.experiment_id}
          </Link>
        </dd>
        <dt>Run ID</dt>
        <dd className="num">{run.info.run_id}</dd>
        <dt>Submitter</dt>
        <dd>{run.info.user_id || '—'}</dd>
        <dt>Started</dt>
        <dd>
          <TimeAgo ms={run.info.start_time} />
        </dd>
      </dl>
      <h2 className={styles.h2}>Properties</h2>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {run.data.params.map((p) => (
            <tr key={p.key}>
              <td>{p.key}</td>
              <td>{p.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
