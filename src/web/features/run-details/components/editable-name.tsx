import { Pencil } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { GatedButton } from '../../../components/permission-note.js';
import ui from '../../../components/ui.module.css';
import { useCan } from '../../../lib/session.js';
import { useRenameRun } from '../api/run-mutations.js';
import styles from './run-details.module.css';

/** The display name with its pencil: Enter saves, Escape cancels; the edit is optimistic. */
export function EditableName({ runId, name }: { runId: string; name: string }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const pencil = useRef<HTMLButtonElement>(null);
  const rename = useRenameRun(runId);
  const permission = useCan('contributor');
  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);
  const stop = () => {
    setEditing(false);
    requestAnimationFrame(() => pencil.current?.focus());
  };
  const save = () => {
    const next = draft.trim();
    if (next === '') return setError('A display name cannot be empty.');
    stop();
    if (next !== name) {
      // A refusal is rolled back and shown once, by the app's toast (query-client.ts).
      rename.mutate(next);
    }
  };
  if (editing) {
    return (
      <div className={styles.nameForm}>
        <input
          ref={input}
          className={`${ui.input} ${styles.nameInput}`}
          aria-label="Display name"
          aria-invalid={error !== null}
          aria-describedby={error ? 'display-name-error' : undefined}
          value={draft}
          maxLength={500}
          onChange={(e) => {
            setDraft(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') save();
            if (e.key === 'Escape') {
              setDraft(name);
              stop();
            }
          }}
        />
        <button type="button" className={`${ui.button} ${ui.primary}`} onClick={save}>
          Save
        </button>
        <button type="button" className={ui.button} onClick={() => { setDraft(name); stop(); }}>
          Discard
        </button>
        {error && (
          <p id="display-name-error" className={ui.error} role="alert">
            {error}
          </p>
        )}
      </div>
    );
  }
  return (
    <>
      <h1 id="run-title">{name}</h1>
      <GatedButton
        ref={pencil}
        permission={permission}
        className={`${ui.button} ${ui.icon} ${ui.ghost}`}
        aria-label="Edit display name"
        title="Edit display name"
        onClick={() => {
          setDraft(name);
          setError(null);
          setEditing(true);
        }}
      >
        <Pencil size={15} aria-hidden />
      </GatedButton>
    </>
  );
}
