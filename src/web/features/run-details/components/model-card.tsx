import { useId } from 'react';
import type { LoggedModel, ModelMetric } from '../../../../shared/mlflow/logged-models.js';
import { TimeAgo } from '../../../components/time-ago.js';
import ui from '../../../components/ui.module.css';
import { metricValue } from '../../../lib/format.js';
import { CopyText } from './copy-text.js';
import { KeyValueTable } from './key-value-table.js';
import { ModelFiles } from './model-files.js';
import { ModelStatus } from '../../../components/model-status.js';
import styles from './models-tab.module.css';
import details from './run-details.module.css';

const byKeyThenStep = (a: ModelMetric, b: ModelMetric) => a.key.localeCompare(b.key) || a.step - b.step;

/** One logged model: what it is, its params, tags and metrics, and its files. */
export function ModelCard({ model }: { model: LoggedModel }) {
  const id = useId();
  const { info, data } = model;
  const params = data.params ?? [];
  const tags = info.tags ?? [];
  const metrics = [...(data.metrics ?? [])].sort(byKeyThenStep);
  return (
    <article className={styles.card} aria-labelledby={`${id}-name`}>
      <header className={styles.cardHead}>
        <h2 id={`${id}-name`} className={styles.name}>
          {info.name}
        </h2>
        <ModelStatus status={info.status} />
        {info.model_type && <span className={styles.type}>{info.model_type}</span>}
      </header>
      <dl className={styles.facts}>
        <div>
          <dt>Model ID</dt>
          <dd>
            <CopyText text={info.model_id} what="model ID" />
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <TimeAgo ms={info.creation_timestamp_ms} />
          </dd>
        </div>
      </dl>
      <div className={styles.columns}>
        <section aria-labelledby={`${id}-params`} className={styles.part}>
          <h3 id={`${id}-params`}>Params</h3>
          {params.length === 0 ? (
            <p className={styles.muted}>No params.</p>
          ) : (
            <KeyValueTable rows={params} labelledBy={`${id}-params`} valueClassName={styles.wrap} />
          )}
        </section>
        <section aria-labelledby={`${id}-tags`} className={styles.part}>
          <h3 id={`${id}-tags`}>Tags</h3>
          {tags.length === 0 ? (
            <p className={styles.muted}>No tags.</p>
          ) : (
            <ul className={details.tagList} aria-labelledby={`${id}-tags`}>
              {tags.map((t) => (
                <li key={t.key} className={`${ui.chip} ${styles.tag}`} title={`${t.key}: ${t.value}`}>
                  <span className={ui.chipText}>{t.value === '' ? t.key : `${t.key}: ${t.value}`}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section aria-labelledby={`${id}-metrics`} className={styles.part}>
        <h3 id={`${id}-metrics`}>Metrics</h3>
        {metrics.length === 0 ? (
          <p className={styles.muted}>No metrics linked to this model.</p>
        ) : (
          <table className={details.kvTable} aria-labelledby={`${id}-metrics`}>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                <th scope="col">Step</th>
                <th scope="col">Dataset</th>
              </tr>
            </thead>
            <tbody>
              {metrics.map((m, i) => (
                <tr key={`${m.key}-${m.step}-${m.timestamp}-${i}`}>
                  <td>{m.key}</td>
                  <td className="num">{metricValue(m.value)}</td>
                  <td className="num">{m.step}</td>
                  <td>{m.dataset_name ? `${m.dataset_name}${m.dataset_digest ? `@${m.dataset_digest}` : ''}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ModelFiles model={model} />
    </article>
  );
}
