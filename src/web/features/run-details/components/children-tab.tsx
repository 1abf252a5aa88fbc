import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { StatusBadge } from '../../../components/status-badge.js';
import { DurationCell } from '../../runs/components/run-cells.js';
import { runDetailQueries } from '../api/run-detail-queries.js';
import styles from './run-details.module.css';

/** Child runs: the whole tree below this run, with status and duration. */
export function ChildrenTab({ runId }: { runId: string }) {
  const { data, error, isPending } = useQuery(runDetailQueries.tree(runId));
  if (isPending) return <p role="status">Loading child runs…</p>;
  if (error) return <p role="alert">Could not load child runs: {error.message}</p>;
  if (data.length === 0) return <p className={styles.muted}>This run has no child runs.</p>;
  // The API lists by depth; show each child under its parent.
  const byParent = new Map<string, typeof data>();
  for (const run of data) byParent.set(run.parentRunId ?? '', [...(byParent.get(run.parentRunId ?? '') ?? []), run]);
  const ordered: typeof data = [];
  const visit = (parent: string) => {
    for (const child of byParent.get(parent) ?? []) {
      ordered.push(child);
      visit(child.runId);
    }
  };
  visit(runId);
  return (
    <table className={styles.kvTable} aria-label="Child runs">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Status</th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        {ordered.map((run) => (
          <tr key={run.runId}>
            <td style={{ paddingLeft: `${0.75 + (run.depth - 1) * 1.25}rem`, fontFamily: 'inherit', fontSize: '0.875rem' }}>
              <Link to="/runs/$runId" params={{ runId: run.runId }}>
                {run.runName}
              </Link>
              {run.depth > 1 && <span className="visually-hidden">, level {run.depth}</span>}
            </td>
            <td>
              <StatusBadge status={run.status} />
            </td>
            <td>
              <DurationCell run={run} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
