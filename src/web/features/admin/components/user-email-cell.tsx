import { Pencil } from 'lucide-react';
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { User } from '../../../../shared/studio/auth.js';
import ui from '../../../components/ui.module.css';
import { useUserMutations } from '../api/user-queries.js';
import styles from './admin.module.css';

/**
 * A user's e-mail address (where their own notification rules send; they cannot change it
 * themselves) and "Edit e-mail": a small form in the cell, empty to remove the address. The
 * server checks the address, so the form does not (`noValidate`) and shows its refusal.
 */
export function UserEmailCell({ user }: { user: User }) {
  const [editing, setEditing] = useState(false);
  if (editing) return <EmailForm user={user} onDone={() => setEditing(false)} />;
  return (
    <span className={styles.emailCell}>
      {user.email ?? <span className={styles.muted}>none</span>}
      <button type="button" className={`${ui.button} ${ui.ghost} ${ui.icon}`} aria-label={`Edit e-mail for ${user.name}`} title="Edit e-mail" onClick={() => setEditing(true)}>
        <Pencil size={14} aria-hidden />
      </button>
    </span>
  );
}

function EmailForm({ user, onDone }: { user: User; onDone: () => void }) {
  const id = useId();
  const [email, setEmail] = useState(user.email ?? '');
  const { setEmail: save } = useUserMutations();
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = email.trim();
    save.mutate({ name: user.name, email: trimmed === '' ? null : trimmed }, { onSuccess: onDone });
  };
  const handleKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') onDone();
  };
  return (
    <form className={styles.emailForm} onSubmit={handleSubmit} onKeyDown={handleKeyDown} noValidate>
      <div className={styles.emailRow}>
        <input
          className={ui.input}
          type="email"
          aria-label={`E-mail of ${user.name}`}
          aria-describedby={`${id}-hint`}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          placeholder="name@example.com"
          maxLength={254}
          autoFocus
        />
        <button type="submit" className={`${ui.button} ${ui.primary}`} disabled={save.isPending}>
          Save
        </button>
        <button type="button" className={ui.button} onClick={onDone}>
          Cancel
        </button>
      </div>
      <p id={`${id}-hint`} className={styles.hint}>
        Where their own notification rules send. Empty removes it.
      </p>
      {save.error && (
        <p className={ui.error} role="alert">
          {save.error.message}
        </p>
      )}
    </form>
  );
}
