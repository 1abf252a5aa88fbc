import { Link } from '@tanstack/react-router';
import { modelStatusWords } from '../../../../shared/mlflow/logged-models.js';
import type { StudioRun } from '../../../../shared/studio/runs.js';
import styles from './run-cells.module.css';

/** Chips a cell shows before "+N more": a row is one line tall. */
export const MAX_CHIPS = 3;

type Dataset = StudioRun['datasets'][number];
type Model = StudioRun['models'][number];

const datasetTitle = (d: Dataset) => `${d.name} · digest ${d.digest}${d.context ? ` · ${d.context}` : ''}`;

/** "+N more": the rest by name on hover, and for screen readers in text. */
function More({ names }: { names: string[] }) {
  if (names.length === 0) return null;
  return (
    <span className={styles.more} title={names.join('\n')}>
      <span aria-hidden="true">+{names.length} more</span>
      <span className="visually-hidden">and {names.length} more: {names.join(', ')}</span>
    </span>
  );
}

/** A run's dataset inputs by name; digest and context on hover. */
export function DatasetsCell({ datasets }: { datasets: Dataset[] }) {
  if (datasets.length === 0) return <span className={styles.muted} aria-label="none" />;
  return (
    <div className={styles.tags}>
      {datasets.slice(0, MAX_CHIPS).map((d, i) => (
        <span key={`${d.name}-${d.digest}-${i}`} className={styles.tag} title={datasetTitle(d)}>
          {d.name}
        </span>
      ))}
      <More names={datasets.slice(MAX_CHIPS).map(datasetTitle)} />
    </div>
  );
}

/**
 * The logged models a run produced, each a link to the run page's Models tab. A model not
 * ready shows a marker, and its name says the status to screen readers.
 */
export function ModelsCell({ runId, models }: { runId: string; models: Model[] }) {
  if (models.length === 0) return <span className={styles.muted} aria-label="none" />;
  return (
    <div className={styles.tags}>
      {models.slice(0, MAX_CHIPS).map((m) => {
        const ready = m.status === 'LOGGED_MODEL_READY';
        return (
          <Link
            key={m.modelId}
            to="/runs/$runId"
            params={{ runId }}
            search={{ tab: 'models' }}
            className={`${styles.tag} ${styles.modelChip}`}
            data-status={m.status}
            title={`${m.name} · ${modelStatusWords[m.status]}`}
            aria-label={ready ? undefined : `${m.name} (${modelStatusWords[m.status].toLowerCase()})`}
          >
            {!ready && <span className={styles.marker} aria-hidden="true" />}
            {m.name}
          </Link>
        );
      })}
      <More names={models.slice(MAX_CHIPS).map((m) => `${m.name} · ${modelStatusWords[m.status]}`)} />
    </div>
  );
}
