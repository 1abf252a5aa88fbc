import { useState } from 'react';
import type { ApiToken } from '../../shared/studio/auth.js';
import { useTokenMutations } from '../lib/queries/token-queries.js';
import { Confirm } from './confirm-dialog.js';
import { TimeAgo } from './time-ago.js';
import styles from './token-table.module.css';
import ui from './ui.module.css';

/**
 * API tokens as a table with a Revoke (confirmed) per token: one's own on the account page,
 * everyone's on the admin page (`showUser`, and each Revoke names the owner too).
 */
export function TokenTable({ tokens, showUser = false, label }: { tokens: ApiToken[]; showUser?: boolean; label: string }) {
  const { revoke } = useTokenMutations();
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  if (tokens.length === 0) return <p className={styles.empty}>No API tokens.</p>;
  const whose = (t: ApiToken) => (showUser ? ` of ${t.user}` : '');
  return (
    <>
      <table className={styles.table} aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            {showUser && <th scope="col">User</th>}
            <th scope="col">Token</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              {showUser && <td>{t.user}</td>}
              <td className={styles.mono}>{t.prefix}…</td>
              <td>
                <TimeAgo ms={t.createdAt} />
              </td>
              <td>
                <TimeAgo ms={t.lastUsedAt} />
              </td>
              <td>
                <TimeAgo ms={t.expiresAt} />
              </td>
              <td className={styles.actions}>
                <button type="button" className={ui.button} aria-label={`Revoke token ${t.name}${whose(t)}`} onClick={() => setRevoking(t)}>
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Confirm
        open={revoking !== null}
        title={`Revoke token “${revoking?.name ?? ''}”${revoking ? whose(revoking) : ''}?`}
        confirmLabel="Revoke"
        cancelLabel="Keep it"
        danger
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking.id);
          setRevoking(null);
        }}
      >
        <p>Every client using it is refused from now on. This cannot be undone.</p>
      </Confirm>
    </>
  );
}
