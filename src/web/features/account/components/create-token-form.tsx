import { Plus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import ui from '../../../components/ui.module.css';
import { useTokenMutations } from '../../../lib/queries/token-queries.js';
import styles from './account.module.css';

/** Name a token and, optionally, its lifetime; `onCreated` receives the secret (shown once). */
export function CreateTokenForm({ onCreated }: { onCreated: (secret: string) => void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const { create } = useTokenMutations();
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const expiresInDays = days.trim() === '' ? null : Number(days);
    create.mutate(
      { name: name.trim(), expiresInDays },
      {
        onSuccess: ({ secret }) => {
          setName('');
          setDays('');
          onCreated(secret);
        },
      },
    );
  };
  return (
    <form className={styles.form} onSubmit={handleSubmit} aria-label="Create token">
      <label className={ui.field}>
        Token name
        <input className={ui.input} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="laptop, CI…" />
      </label>
      <label className={ui.field}>
        Expires in days
        <input className={`${ui.input} ${styles.days}`} type="number" min={1} max={3650} step={1} value={days} onChange={(e) => setDays(e.target.value)} placeholder="never" />
      </label>
      <button type="submit" className={`${ui.button} ${ui.primary}`} disabled={create.isPending}>
        <Plus size={15} aria-hidden /> Create token
      </button>
      {create.error && (
        <p className={ui.error} role="alert">
          {create.error.message}
        </p>
      )}
    </form>
  );
}
