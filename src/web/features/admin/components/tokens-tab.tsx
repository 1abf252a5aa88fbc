import { useQuery } from '@tanstack/react-query';
import { TokenTable } from '../../../components/token-table.js';
import { tokenQueries } from '../../../lib/queries/token-queries.js';
import styles from './admin.module.css';

/** Every user's API tokens, each revocable. */
export function TokensTab() {
  const { data: tokens, error, isPending } = useQuery(tokenQueries.list(true));
  if (isPending) return <p className={styles.muted} role="status">Loading tokens…</p>;
  if (error) return <p role="alert">{error.message}</p>;
  return (
    <>
      <p className={styles.muted}>Tokens let scripts, MLflow clients and the runstudio CLI act as their user. Revoke one that leaked or is no longer used.</p>
      <TokenTable tokens={tokens} showUser label="Tokens" />
    </>
  );
}
