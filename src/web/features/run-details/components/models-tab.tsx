import type { RunModels } from '../api/run-models.js';
import { ModelCard } from './model-card.js';
import styles from './models-tab.module.css';

/** Models: the logged models (MLflow 3) the run produced, each with its params, tags, metrics and files. */
export function ModelsTab({ result }: { result: RunModels }) {
  const { models, unavailable, isPending, error } = result;
  if (error) return <p role="alert">Could not load this run's models: {error.message}</p>;
  if (isPending && models.length === 0) return <p role="status">Loading models…</p>;
  return (
    <div className={styles.list}>
      {models.length === 0 && unavailable.length === 0 && <p className={styles.muted}>This run has logged no models.</p>}
      {models.map((model) => (
        <ModelCard key={model.info.model_id} model={model} />
      ))}
      {unavailable.map((m) => (
        <p key={m.modelId} role="alert" className={styles.muted}>
          Model <code>{m.modelId}</code> of this run's outputs could not be loaded: {m.message}
        </p>
      ))}
    </div>
  );
}
