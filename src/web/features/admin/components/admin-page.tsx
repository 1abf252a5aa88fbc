import { Tabs } from 'radix-ui';
import { useSession } from '../../../lib/session.js';
import styles from './admin.module.css';
import { LocalModeNote } from './local-mode-note.js';
import { TokensTab } from './tokens-tab.js';
import { UsersTab } from './users-tab.js';

/** `/admin`: users and their roles, and every user's API tokens (team mode, admins only). */
export function AdminPage() {
  const session = useSession();
  return (
    <section className={styles.page} aria-labelledby="admin-title">
      <h1 id="admin-title">Admin</h1>
      {session.isPending ? (
        <p className={styles.muted} role="status">
          Loading…
        </p>
      ) : session.error ? (
        <p role="alert">Could not read your session: {session.error.message}</p>
      ) : session.data.mode === 'local' ? (
        <LocalModeNote />
      ) : session.data.user?.role !== 'admin' ? (
        <p role="alert">Only admins may manage users and tokens.</p>
      ) : (
        <AdminTabs />
      )}
    </section>
  );
}

function AdminTabs() {
  return (
    <Tabs.Root defaultValue="users">
      <Tabs.List className={styles.tabList} aria-label="Admin">
        <Tabs.Trigger value="users" className={styles.tab}>
          Users
        </Tabs.Trigger>
        <Tabs.Trigger value="tokens" className={styles.tab}>
          Tokens
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content value="users" className={styles.panel}>
        <UsersTab />
      </Tabs.Content>
      <Tabs.Content value="tokens" className={styles.panel}>
        <TokensTab />
      </Tabs.Content>
    </Tabs.Root>
  );
}
