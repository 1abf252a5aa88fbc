import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { TokenTable } from '../../../components/token-table.js';
import { tokenQueries } from '../../../lib/queries/token-queries.js';
import styles from './account.module.css';
import { CreateTokenForm } from './create-token-form.js';
import { NewToken } from './new-token.js';

/**
 * "API tokens": your tokens, the form that makes one, and a new token's secret. The secret
 * lives in this component's state only, never in the query cache: gone on reload, as promised.
 */
export function AccountTokens() {
  const id = useId();
  const { data: tokens, error, isPending } = useQuery(tokenQueries.list(false));
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <section className={styles.section} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>API tokens</h2>
      <p className={styles.muted}>A token lets a script, an MLflow client or the runstudio CLI act as you.</p>
      <CreateTokenForm onCreated={setSecret} />
      {secret !== null && <NewToken secret={secret} onDismiss={() => setSecret(null)} />}
      {isPending && (
        <p className={styles.muted} role="status">
          Loading tokens…
        </p>
      )}
      {error && <p role="alert">{error.message}</p>}
      {tokens && <TokenTable tokens={tokens} label="Your API tokens" />}
    </section>
  );
}
