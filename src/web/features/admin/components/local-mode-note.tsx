import styles from './admin.module.css';

/** What the admin page says on a server without sign-in: there are no users, and how to start a team server. */
export function LocalModeNote() {
  return (
    <div className={styles.note}>
      <p>This server runs without sign-in: whoever reaches it is its one user, with every right. There are no users or tokens to manage.</p>
      <p>To share it with a team, start it with sign-in and add a first admin:</p>
      <pre className={styles.code}>
        {'runstudio serve --auth\nrunstudio users add <name> --role admin'}
      </pre>
    </div>
  );
}
