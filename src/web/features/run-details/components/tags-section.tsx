import { Pencil, Plus, X } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import type { KeyValue } from '../../../../shared/mlflow/types.js';
import { GatedButton } from '../../../components/permission-note.js';
import ui from '../../../components/ui.module.css';
import { useCan } from '../../../lib/session.js';
import { isSystemTag } from '../../../lib/tags.js';
import { useDeleteTag, useSetTag } from '../api/run-mutations.js';
import styles from './run-details.module.css';

const label = (t: KeyValue) => (t.value === '' ? t.key : `${t.key}: ${t.value}`);

/** Tags as chips: add (the value is optional), edit a value, delete; system tags on demand. */
export function TagsSection({ runId, tags }: { runId: string; tags: KeyValue[] }) {
  const id = useId();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [showSystem, setShowSystem] = useState(false);
  const setTag = useSetTag(runId);
  const deleteTag = useDeleteTag(runId);
  const permission = useCan('contributor');
  const userTags = tags.filter((t) => !isSystemTag(t.key));
  const systemTags = tags.filter((t) => isSystemTag(t.key));
  return (
    <section className={styles.section} aria-labelledby={`${id}-title`}>
      <div className={styles.sectionHead}>
        <h2 id={`${id}-title`}>Tags</h2>
        <GatedButton permission={permission} className={ui.button} onClick={() => setAdding(true)} disabled={adding}>
          <Plus size={15} aria-hidden /> Add tag
        </GatedButton>
        <label className={`${styles.muted} ${styles.inlineLabel} ${styles.note}`}>
          <input type="checkbox" checked={showSystem} onChange={(e) => setShowSystem(e.target.checked)} /> Show system tags
        </label>
      </div>
      {adding && (
        <TagForm
          onCancel={() => setAdding(false)}
          onSave={(key, value) => {
            setAdding(false);
            setTag.mutate({ key, value });
          }}
        />
      )}
      <ul aria-label="Tags" className={styles.tagList}>
        {userTags.map((tag) =>
          editing === tag.key ? (
            <li key={tag.key}>
              <TagForm
                fixedKey={tag.key}
                initialValue={tag.value}
                onCancel={() => setEditing(null)}
                onSave={(key, value) => {
                  setEditing(null);
                  setTag.mutate({ key, value });
                }}
              />
            </li>
          ) : (
            <li key={tag.key} className={ui.chip}>
              <span className={ui.chipText}>{label(tag)}</span>
              <GatedButton permission={permission} className={ui.chipRemove} aria-label={`Edit tag ${tag.key}`} onClick={() => setEditing(tag.key)}>
                <Pencil size={12} aria-hidden />
              </GatedButton>
              <GatedButton permission={permission} className={ui.chipRemove} aria-label={`Delete tag ${tag.key}`} onClick={() => deleteTag.mutate(tag.key)}>
                <X size={13} aria-hidden />
              </GatedButton>
            </li>
          ),
        )}
        {userTags.length === 0 && <li className={styles.muted}>No tags.</li>}
      </ul>
      {showSystem && (
        <table className={styles.kvTable} aria-label="System tags">
          <tbody>
            {systemTags.map((t) => (
              <tr key={t.key}>
                <td>{t.key}</td>
                <td>{t.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TagForm({ fixedKey, initialValue = '', onSave, onCancel }: { fixedKey?: string; initialValue?: string; onSave: (key: string, value: string) => void; onCancel: () => void }) {
  const [key, setKey] = useState(fixedKey ?? '');
  const [value, setValue] = useState(initialValue);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim() === '') return setError('A tag needs a key.');
    if (isSystemTag(key.trim())) return setError('Keys starting with “mlflow.” or “runstudio.” are reserved.');
    onSave(key.trim(), value);
  };
  return (
    <form className={`${styles.card} ${styles.tagForm}`} onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      {fixedKey === undefined && (
        <label className={ui.field}>
          Key
          <input className={ui.input} value={key} onChange={(e) => setKey(e.target.value)} autoFocus maxLength={250} />
        </label>
      )}
      <label className={ui.field}>
        {fixedKey === undefined ? 'Value (optional)' : `Value of ${fixedKey}`}
        <input className={ui.input} value={value} onChange={(e) => setValue(e.target.value)} autoFocus={fixedKey !== undefined} />
      </label>
      <button type="submit" className={`${ui.button} ${ui.primary}`}>
        {fixedKey === undefined ? 'Add' : 'Save'}
      </button>
      <button type="button" className={ui.button} onClick={onCancel}>
        Discard
      </button>
      {error && (
        <p className={`${ui.error} ${styles.fullRow}`} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
