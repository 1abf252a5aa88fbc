import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { roles, type Role, type User } from '../../../../shared/studio/auth.js';
import { Confirm } from '../../../components/confirm-dialog.js';
import { TimeAgo } from '../../../components/time-ago.js';
import ui from '../../../components/ui.module.css';
import { userQueries, useUserMutations } from '../api/user-queries.js';
import { AddUserDialog } from './add-user-dialog.js';
import styles from './admin.module.css';
import { UserEmailCell } from './user-email-cell.js';

/** The users of the server: a role select each (saved on change), their e-mail (editable), Remove (confirmed), and Add user. */
export function UsersTab() {
  const { data: users, error, isPending } = useQuery(userQueries.list());
  const { setRole, remove } = useUserMutations();
  const [removing, setRemoving] = useState<User | null>(null);
  if (isPending) return <p className={styles.muted} role="status">Loading users…</p>;
  if (error) return <p role="alert">{error.message}</p>;
  return (
    <>
      <div className={styles.toolbar}>
        <AddUserDialog />
      </div>
      <table className={styles.table} aria-label="Users">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">E-mail</th>
            <th scope="col">Password sign-in</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <td>{user.name}</td>
              <td>
                <select className={ui.input} aria-label={`Role of ${user.name}`} value={user.role} onChange={(e) => setRole.mutate({ name: user.name, role: e.target.value as Role })}>
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <UserEmailCell user={user} />
              </td>
              <td>{user.hasPassword ? 'yes' : 'no'}</td>
              <td>
                <TimeAgo ms={user.createdAt} />
              </td>
              <td className={styles.actions}>
                <button type="button" className={ui.button} aria-label={`Remove ${user.name}`} onClick={() => setRemoving(user)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Confirm
        open={removing !== null}
        title={`Remove ${removing?.name ?? ''}?`}
        confirmLabel="Remove user"
        cancelLabel="Keep"
        danger
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) remove.mutate(removing.name);
          setRemoving(null);
        }}
      >
        <p>They can no longer sign in, and their API tokens stop working. Their runs stay.</p>
      </Confirm>
    </>
  );
}
