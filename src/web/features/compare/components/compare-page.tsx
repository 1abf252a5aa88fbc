import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { compareRunIds, type CompareState } from '../../../../shared/studio/compare-state.js';
import type { StudioRun } from '../../../../shared/studio/runs.js';
import { metricValue } from '../../../lib/format.js';
import { colorFor, type PlottedRun } from '../../../lib/run-colors.js';
import { isSystemTag } from '../../../lib/tags.js';
import { runQueries } from '../../../lib/queries/run-queries.js';
import { reportError } from '../../../lib/report-error.js';
import styles from './compare.module.css';

interface Row {
  key: string;
  values: Array<string | undefined>;
  differs: boolean;
}

function rowsOf(runs: StudioRun[], pick: (run: StudioRun) => Record<string, string | undefined>): Row[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();
  return keys.map((key) => {
    const values = runs.map((r) => pick(r)[key]);
    return { key, values, differs: new Set(values).size > 1 };
  });
}

function CompareTable({ title, runs, rows, onlyDiff }: { title: string; runs: StudioRun[]; rows: Row[]; onlyDiff: boolean }) {
  const shown = onlyDiff ? rows.filter((r) => r.differs) : rows;
  return (
    <section aria-label={title}>
      <h2 className={styles.sectionTitle}>{title}</h2>
      {shown.length === 0 ? (
        <p className={styles.missing}>{rows.length === 0 ? 'None.' : 'All the same.'}</p>
      ) : (
        <table className={styles.table} aria-label={title}>
          <thead>
            <tr>
              <th scope="col">Key</th>
              {runs.map((run, i) => (
                <th scope="col" key={run.runId}>
                  <span className={styles.swatch} style={{ background: colorFor(i) }} aria-hidden="true" />
                  {run.runName}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.key} className={row.differs ? styles.differs : undefined} data-differs={row.differs}>
                <th scope="row">
                  {row.key}
                  {row.differs && <span className="visually-hidden"> (differs)</span>}
                </th>
                {row.values.map((v, i) => (
                  <td key={i} className={v === undefined || v === '' ? styles.missing : undefined}>
                    {v === undefined ? '—' : v === '' ? 'no value' : v}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface ComparePageProps {
  state: CompareState;
  /** One metric's history for the compared runs, in their colours (the charts feature, composed by the page). */
  metricChart: (metricKey: string, plotted: PlottedRun[]) => ReactNode;
}

/** `/compare?runs=…`: properties, tags and metrics side by side, and overlaid metric charts. */
export function ComparePage({ state, metricChart }: ComparePageProps) {
  const ids = compareRunIds(state);
  const navigate = useNavigate();
  const query = useQuery(runQueries.compare(ids));
  if (ids.length < 2) {
    return (
      <section className={styles.page}>
        <h1>Compare runs</h1>
        <p>
          Select two or more runs in <Link to="/runs">All runs</Link> and choose Compare.
        </p>
      </section>
    );
  }
  if (query.isPending) return <p className={styles.page} role="status">Loading runs…</p>;
  if (query.error) return <p className={styles.page} role="alert">Could not load these runs: {query.error.message}</p>;
  const byId = new Map(query.data.runs.map((r) => [r.runId, r]));
  const runs = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  const onlyDiff = state.diff ?? false;
  const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort().slice(0, 12);
  const plotted: PlottedRun[] = runs.map((run, i) => ({ run, color: colorFor(i) }));
  const onlyDifferences = (on: boolean) => {
    navigate({ to: '/compare', search: { runs: state.runs, diff: on || undefined }, replace: true }).catch(reportError);
  };
  return (
    <section className={styles.page} aria-labelledby="compare-title">
      <div className={styles.head}>
        <h1 id="compare-title">Compare {runs.length} runs</h1>
        <label className={styles.toggle}>
          <input type="checkbox" checked={onlyDiff} onChange={(e) => onlyDifferences(e.target.checked)} />
          Only differences
        </label>
        {runs.length < ids.length && <span className={styles.missing}>{ids.length - runs.length} of the chosen runs no longer exist.</span>}
      </div>
      <nav aria-label="Compared runs" className={styles.runs}>
        {runs.map((run, i) => (
          <Link key={run.runId} to="/runs/$runId" params={{ runId: run.runId }}>
            <span className={styles.swatch} style={{ background: colorFor(i) }} aria-hidden="true" />
            {run.runName}
          </Link>
        ))}
      </nav>
      <CompareTable title="Properties" runs={runs} rows={rowsOf(runs, (r) => r.params)} onlyDiff={onlyDiff} />
      <CompareTable title="Tags" runs={runs} rows={rowsOf(runs, (r) => Object.fromEntries(Object.entries(r.tags).filter(([k]) => !isSystemTag(k))))} onlyDiff={onlyDiff} />
      <CompareTable title="Latest metrics" runs={runs} rows={rowsOf(runs, (r) => Object.fromEntries(Object.entries(r.metrics).map(([k, m]) => [k, metricValue(m.value)])))} onlyDiff={onlyDiff} />
      {metricKeys.length > 0 && (
        <section aria-label="Metric charts">
          <h2 className={styles.sectionTitle}>Metrics over steps</h2>
          <div className={styles.charts}>
            {metricKeys.map((key) => (
              <figure key={key} className={styles.chart} aria-label={`${key} over step`}>
                <figcaption className={styles.chartTitle}>{key}</figcaption>
                {metricChart(key, plotted)}
              </figure>
            ))}
          </div>
        </section>
      )}
    </section>
  );
}
