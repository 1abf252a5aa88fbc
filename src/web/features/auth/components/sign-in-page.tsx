import { useNavigate } from '@tanstack/react-router';
import { LogIn } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import ui from '../../../components/ui.module.css';
import { reportError } from '../../../lib/report-error.js';
import { useSignIn } from '../api/auth-mutations.js';
import { safeNext } from '../safe-next.js';
import styles from './sign-in-page.module.css';

/**
 * The sign-in form of a team server. On success it opens `next` (a path of this app only)
 * or /runs; a refusal (wrong password, too many tries) shows the server's message.
 */
export function SignInPage({ next }: { next?: string | undefined }) {
  const id = useId();
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate(
      { name: name.trim(), password },
      {
        onSuccess: () => {
          navigate({ href: safeNext(next), replace: true }).catch(reportError);
        },
        onError: () => setPassword(''),
      },
    );
  };
  return (
    <section className={styles.page} aria-labelledby={`${id}-title`}>
      <form className={styles.card} onSubmit={submit}>
        <h1 id={`${id}-title`}>Sign in</h1>
        <label className={ui.field}>
          User name
          <input className={ui.input} name="username" autoComplete="username" autoFocus required maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className={ui.field}>
          Password
          <input className={ui.input} type="password" name="password" autoComplete="current-password" required maxLength={1024} value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {signIn.isError && (
          <p className={ui.error} role="alert">
            {signIn.error.message}
          </p>
        )}
        <button type="submit" className={`${ui.button} ${ui.primary}`} disabled={signIn.isPending}>
          <LogIn size={15} aria-hidden /> Sign in
        </button>
      </form>
    </section>
  );
}
