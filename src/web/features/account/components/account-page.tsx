import { useSession } from '../../../lib/session.js';
import styles from './account.module.css';
import { AccountTokens } from './account-tokens.js';

/** `/account`: who you are, and your API tokens (create, copy the secret once, revoke). */
export function AccountPage() {
  const session = useSession();
  const user = session.data?.user;
  return (
    <section className={styles.page} aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      {session.isPending && (
        <p className={styles.muted} role="status">
          Loading…
        </p>
      )}
      {session.error && <p role="alert">Could not read your session: {session.error.message}</p>}
      {user && (
        <dl className={styles.facts}>
          <div>
            <dt>Name</dt>
            <dd>{user.name}</dd>
          </div>
          <div>
            <dt>Role</dt>
            <dd>{user.role}</dd>
          </div>
        </dl>
      )}
      {session.data?.mode === 'local' && (
        <p className={styles.muted}>This server runs without sign-in: MLflow clients and the runstudio CLI need no token.</p>
      )}
      {session.data?.mode === 'team' && user && <AccountTokens />}
    </section>
  );
}
