import { Pencil } from 'lucide-react';
import { useId, useState } from 'react';
import { Markdown } from '../../../components/markdown.js';
import { GatedButton } from '../../../components/permission-note.js';
import ui from '../../../components/ui.module.css';
import { useCan } from '../../../lib/session.js';
import { useDeleteTag, useSetTag } from '../api/run-mutations.js';
import styles from './run-details.module.css';

export const DESCRIPTION_TAG = 'mlflow.note.content';

/** The run's Markdown description: rendered, or edited with a live preview. */
export function DescriptionSection({ runId, text }: { runId: string; text: string | undefined }) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(text ?? '');
  const setTag = useSetTag(runId);
  const deleteTag = useDeleteTag(runId);
  const permission = useCan('contributor');
  return (
    <section className={styles.section} aria-labelledby={`${id}-title`}>
      <div className={styles.sectionHead}>
        <h2 id={`${id}-title`}>Description</h2>
        {!editing && (
          <GatedButton permission={permission} className={`${ui.button} ${ui.icon} ${ui.ghost}`} aria-label="Edit description" title="Edit description" onClick={() => { setDraft(text ?? ''); setEditing(true); }}>
            <Pencil size={15} aria-hidden />
          </GatedButton>
        )}
      </div>
      {editing ? (
        <div className={`${styles.card} ${styles.stack}`}>
          <label htmlFor={`${id}-text`} className={ui.field}>
            Description (Markdown)
          </label>
          <textarea id={`${id}-text`} className={ui.textarea} rows={8} value={draft} onChange={(e) => setDraft(e.target.value)} />
          <div className={ui.field}>Preview</div>
          <div className={styles.card} aria-label="Description preview" role="region">
            {draft.trim() ? <Markdown text={draft} /> : <span className={styles.muted}>Nothing to preview.</span>}
          </div>
          <div className={styles.row}>
            <button
              type="button"
              className={`${ui.button} ${ui.primary}`}
              onClick={() => {
                setEditing(false);
                if (draft.trim() === '') {
                  if (text !== undefined) deleteTag.mutate(DESCRIPTION_TAG);
                } else if (draft !== text) setTag.mutate({ key: DESCRIPTION_TAG, value: draft });
              }}
            >
              Save description
            </button>
            <button type="button" className={ui.button} onClick={() => setEditing(false)}>
              Discard changes
            </button>
            {text !== undefined && (
              <button type="button" className={ui.button} onClick={() => { setEditing(false); deleteTag.mutate(DESCRIPTION_TAG); }}>
                Delete description
              </button>
            )}
          </div>
        </div>
      ) : text ? (
        <div className={styles.card}>
          <Markdown text={text} />
        </div>
      ) : (
        <p className={styles.muted}>No description yet. Use the pencil to say what this run is for.</p>
      )}
    </section>
  );
}
