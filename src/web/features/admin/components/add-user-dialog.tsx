import { Plus } from 'lucide-react';
import { Dialog } from 'radix-ui';
import { useId, useState, type FormEvent } from 'react';
import { roles, type Role } from '../../../../shared/studio/auth.js';
import ui from '../../../components/ui.module.css';
import { useUserMutations } from '../api/user-queries.js';
import styles from './admin.module.css';

/** "Add user": name, role, an optional e-mail address and password in a dialog; the server's refusal shows in it. */
export function AddUserDialog() {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('reader');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { create } = useUserMutations();
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setName('');
      setRole('reader');
      setEmail('');
      setPassword('');
      create.reset();
    }
  };
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    create.mutate({ name: name.trim(), role, ...(address === '' ? {} : { email: address }), ...(password === '' ? {} : { password }) }, { onSuccess: () => onOpenChange(false) });
  };
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Trigger asChild>
        <button type="button" className={`${ui.button} ${ui.primary}`}>
          <Plus size={15} aria-hidden /> Add user
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className={styles.overlay} />
        <Dialog.Content className={styles.dialog} aria-describedby={undefined}>
          <form className={styles.form} onSubmit={handleSubmit}>
            <Dialog.Title className={styles.dialogTitle}>Add user</Dialog.Title>
            <label className={ui.field}>
              User name
              <input className={ui.input} value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} autoFocus />
            </label>
            <label className={ui.field}>
              Role
              <select className={ui.input} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
            <label className={ui.field}>
              E-mail (optional)
              <input className={ui.input} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="name@example.com" aria-describedby={`${id}-email-hint`} />
            </label>
            <p id={`${id}-email-hint`} className={styles.muted}>
              Where their own notification rules send; only admins change it.
            </p>
            <label className={ui.field}>
              Password
              <input className={ui.input} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby={`${id}-hint`} />
            </label>
            <p id={`${id}-hint`} className={styles.muted}>
              At least 8 characters. Leave it empty for a user who signs in through your proxy or uses API tokens only.
            </p>
            {create.error && <p className={ui.error} role="alert">{create.error.message}</p>}
            <div className={styles.formActions}>
              <Dialog.Close asChild>
                <button type="button" className={ui.button}>
                  Cancel
                </button>
              </Dialog.Close>
              <button type="submit" className={`${ui.button} ${ui.primary}`} disabled={create.isPending}>
                Add user
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
