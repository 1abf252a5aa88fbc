import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { TimeAgo } from '../../../components/time-ago.js';
import ui from '../../../components/ui.module.css';
import { count } from '../../../lib/format.js';
import { experimentQueries } from '../../../lib/queries/experiment-queries.js';
import styles from './experiments-page.module.css';
import { reportError } from '../../../lib/report-error.js';

/** All experiments: name, run count, last activity, created; a text filter. */
export function ExperimentsPage() {
  const { data, error, isPending, refetch } = useQuery(experimentQueries.list());
  const [filter, setFilter] = useState('');
  const shown = (data ?? []).filter((e) => e.name.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section className={styles.page} aria-labelledby="experiments-title">
      <div className={styles.header}>
        <h1 id="experiments-title">Experiments</h1>
        <input type="search" className={ui.input} aria-label="Filter experiments" placeholder="Filter by name" value={filter} onChange={(e) => setFilter(e.target.value)} />
        {data && (
          <span className={styles.muted} role="status">
            {count(shown.length)} of {count(data.length)}
          </span>
        )}
      </div>
      {isPending ? (
        <p role="status">Loading experiments…</p>
      ) : error ? (
        <div role="alert">
          <p>Could not load experiments: {error.message}</p>
          <button type="button" className={ui.button} onClick={() => {
              refetch().catch(reportError);
            }}>
            Try again
          </button>
        </div>
      ) : (
        <table className={styles.table} aria-labelledby="experiments-title">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Runs</th>
              <th scope="col">Last activity</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.experimentId}>
                <td className={styles.name}>
                  <Link to="/experiments/$experimentId" params={{ experimentId: e.experimentId }}>
                    {e.name}
                  </Link>
                </td>
                <td className="num">{count(e.runCount)}</td>
                <td>
                  <TimeAgo ms={e.lastRunTime ?? e.lastUpdateTime} />
                </td>
                <td>
                  <TimeAgo ms={e.creationTime} />
                </td>
              </tr>
            ))}
            {shown.length === 0 && (
              <tr>
                <td colSpan={4} className={styles.muted}>
                  No experiment matches “{filter}”.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
