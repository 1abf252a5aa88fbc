import { Link } from '@tanstack/react-router';
import { ArrowDown, ArrowUp } from 'lucide-react';
import type { ReactNode } from 'react';
import { TimeAgo } from '../../../components/time-ago.js';
import ui from '../../../components/ui.module.css';
import { count } from '../../../lib/format.js';
import { useExperimentModels } from '../hooks/use-experiment-models.js';
import { nextSort, type ModelListState } from '../model-list-state.js';
import { ModelStatus } from '../../../components/model-status.js';
import { latestMetrics, MetricCell } from './model-cells.js';
import styles from './models.module.css';

interface ExperimentModelsProps {
  experimentId: string;
  state: ModelListState;
  onStateChange: (state: ModelListState) => void;
}

/** An experiment's logged models (MLflow 3): sortable on the server, a page at a time, each linking to its source run. */
export function ExperimentModels({ experimentId, state, onStateChange }: ExperimentModelsProps) {
  const m = useExperimentModels(experimentId, state);
  if (m.isPending) return <p role="status">Loading models…</p>;
  if (m.error && m.models.length === 0) {
    return (
      <div className={styles.errorBox} role="alert">
        <strong>Could not load models</strong>
        <span>{m.error.message}</span>
        <button type="button" className={ui.button} onClick={m.retry}>
          Try again
        </button>
      </div>
    );
  }
  if (m.models.length === 0) {
    return (
      <div className={styles.empty}>
        <strong>No logged models in this experiment yet</strong>
        <span>
          Log one with MLflow 3, e.g. <code>mlflow.sklearn.log_model(model, name=&quot;scorer&quot;)</code> inside a run.
        </span>
      </div>
    );
  }
  const header = (column: string, label: string, kind?: string) => (
    <SortHeader key={column} label={label} kind={kind} active={m.sort === column} desc={m.desc} onSort={() => onStateChange(nextSort(state, column))} />
  );
  return (
    <div className={styles.models}>
      <p className={`${styles.summary} num`} role="status">
        {count(m.models.length)} {m.models.length === 1 ? 'model' : 'models'}
        {m.hasMore ? ' shown, more to load' : ''}
      </p>
      <div className={styles.scroller}>
        <table className={styles.table} aria-label="Logged models" aria-busy={m.isSorting}>
          <thead>
            <tr>
              {header('name', 'Name')}
              {header('status', 'Status')}
              <th scope="col">
                <span className={styles.sortButton}>Source run</span>
              </th>
              {header('created', 'Created')}
              {m.metricKeys.map((key) => header(`metric:${key}`, key, 'metric'))}
            </tr>
          </thead>
          <tbody>
            {m.models.map(({ info, data }) => {
              const metrics = latestMetrics(data.metrics);
              const runId = info.source_run_id;
              const run = runId ? m.runs?.get(runId) : undefined;
              return (
                <tr key={info.model_id}>
                  <td className={styles.name} title={`${info.name} (${info.model_id})`}>
                    {info.name}
                  </td>
                  <td>
                    <ModelStatus status={info.status} />
                  </td>
                  <td>
                    {runId ? (
                      <Link to="/runs/$runId" params={{ runId }} className={styles.runLink} title={runId}>
                        {run?.runName ?? runId.slice(0, 8)}
                      </Link>
                    ) : (
                      <span className={styles.muted}>none</span>
                    )}
                  </td>
                  <td>
                    <TimeAgo ms={info.creation_timestamp_ms} />
                  </td>
                  {m.metricKeys.map((key) => (
                    <td key={key}>
                      <MetricCell metric={metrics.get(key)} />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className={styles.footer}>
        {m.hasMore && (
          <button type="button" className={ui.button} onClick={m.loadMore}>
            Load more models
          </button>
        )}
        {m.isLoadingMore && <span role="status">Loading more models…</span>}
        {m.error && m.models.length > 0 && (
          <span className={ui.error} role="alert">
            Could not load more models: {m.error.message}{' '}
            <button type="button" className={ui.button} onClick={m.retry}>
              Try again
            </button>
          </span>
        )}
      </div>
    </div>
  );
}

function SortHeader({ label, kind, active, desc, onSort }: { label: string; kind?: string | undefined; active: boolean; desc: boolean; onSort: () => void }): ReactNode {
  return (
    <th scope="col" aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className={styles.sortButton} onClick={onSort} title={`Sort by ${label}`} aria-label={kind ? `${label} ${kind}` : undefined}>
        {label}
        {kind && <span className={styles.kind}>{kind}</span>}
        {active && (desc ? <ArrowDown size={14} aria-hidden /> : <ArrowUp size={14} aria-hidden />)}
      </button>
    </th>
  );
}
