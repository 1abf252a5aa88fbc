import { useId, useState } from 'react';
import { DATASET_CONTEXT_TAG, type DatasetInput } from '../../../../shared/mlflow/datasets.js';
import ui from '../../../components/ui.module.css';
import styles from './datasets-section.module.css';
import { JsonBlock } from './json-block.js';
import details from './run-details.module.css';

/** The keys MLflow's dataset sources keep their location under (http, S3, file, Delta, Hugging Face …). */
const locationKeys = ['uri', 'url', 'path', 'location', 'table_name'];

/** Where a dataset came from: the location inside its source JSON when there is one, else the source text. */
export function sourceLocation(source: string): string {
  try {
    const parsed: unknown = JSON.parse(source);
    if (parsed && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const key = locationKeys.find((k) => typeof record[k] === 'string' && record[k] !== '');
      if (key) return record[key] as string;
    }
  } catch {
    // not JSON: the text is the source
  }
  return source;
}

/** Overview's Datasets: the run's input datasets, their schema and profile shown on demand. */
export function DatasetsSection({ inputs }: { inputs: DatasetInput[] }) {
  const id = useId();
  return (
    <section className={details.section} aria-labelledby={`${id}-datasets`}>
      <div className={details.sectionHead}>
        <h2 id={`${id}-datasets`}>Datasets</h2>
      </div>
      <ul className={styles.list} aria-labelledby={`${id}-datasets`}>
        {inputs.map((input, i) => (
          <DatasetCard key={`${input.dataset.name}@${input.dataset.digest}#${i}`} input={input} />
        ))}
      </ul>
    </section>
  );
}

function DatasetCard({ input }: { input: DatasetInput }) {
  const { dataset } = input;
  const context = input.tags?.find((t) => t.key === DATASET_CONTEXT_TAG)?.value;
  const location = sourceLocation(dataset.source);
  const [open, setOpen] = useState<'schema' | 'profile' | null>(null);
  const toggle = (what: 'schema' | 'profile') => setOpen((o) => (o === what ? null : what));
  return (
    <li className={styles.card} aria-label={`Dataset ${dataset.name}`}>
      <div className={styles.head}>
        <h3 className={styles.name}>{dataset.name}</h3>
        {context && <span className={styles.badge} title="Context: what the run used it for">{context}</span>}
        <span className={styles.digest}>
          <span className={details.muted}>digest</span> <code>{dataset.digest}</code>
        </span>
      </div>
      <div className={styles.source}>
        <span className={styles.sourceType}>{dataset.source_type || 'source'}</span>
        <span className={styles.sourceText} title={location.length > 4000 ? `${location.slice(0, 4000)}…` : location}>
          {location}
        </span>
      </div>
      {(dataset.schema !== undefined || dataset.profile !== undefined) && (
        <div className={styles.actions}>
          {dataset.schema !== undefined && (
            <button type="button" className={ui.button} aria-expanded={open === 'schema'} aria-label={`${open === 'schema' ? 'Hide' : 'Show'} schema of ${dataset.name}`} onClick={() => toggle('schema')}>
              {open === 'schema' ? 'Hide schema' : 'Show schema'}
            </button>
          )}
          {dataset.profile !== undefined && (
            <button type="button" className={ui.button} aria-expanded={open === 'profile'} aria-label={`${open === 'profile' ? 'Hide' : 'Show'} profile of ${dataset.name}`} onClick={() => toggle('profile')}>
              {open === 'profile' ? 'Hide profile' : 'Show profile'}
            </button>
          )}
        </div>
      )}
      {open === 'schema' && dataset.schema !== undefined && <JsonBlock text={dataset.schema} label={`Schema of ${dataset.name}`} />}
      {open === 'profile' && dataset.profile !== undefined && <JsonBlock text={dataset.profile} label={`Profile of ${dataset.name}`} />}
    </li>
  );
}
