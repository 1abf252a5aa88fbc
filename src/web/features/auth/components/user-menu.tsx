import { Link, useNavigate } from '@tanstack/react-router';
import { ChevronDown, KeyRound, LogOut, Shield, UserRound } from 'lucide-react';
import { DropdownMenu } from 'radix-ui';
import ui from '../../../components/ui.module.css';
import { useSession } from '../../../lib/session.js';
import { useSignOut } from '../api/auth-mutations.js';
import styles from './user-menu.module.css';

/**
 * Who is signed in, as a menu in the top bar: their API tokens, Admin (admins of a team
 * server) and Sign out (team mode; local mode has nobody to sign out). Nothing while the
 * session loads or when nobody is signed in.
 */
export function UserMenu() {
  const session = useSession().data;
  const navigate = useNavigate();
  const signOut = useSignOut(() => navigate({ to: '/sign-in', replace: true }));
  const user = session?.user;
  if (!session || !user) return null;
  const team = session.mode === 'team';
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <button type="button" className={`${ui.button} ${ui.ghost} ${styles.trigger}`} aria-label={`Account: ${user.name}`}>
          <UserRound size={15} aria-hidden /> {user.name} <span className={styles.role}>{user.role}</span> <ChevronDown size={14} aria-hidden />
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className={styles.menu} align="end" sideOffset={4}>
          <DropdownMenu.Label className={styles.menuLabel}>
            {user.name} · {user.role}
          </DropdownMenu.Label>
          <DropdownMenu.Item asChild className={styles.menuItem}>
            <Link to="/account">
              <KeyRound size={14} aria-hidden /> API tokens
            </Link>
          </DropdownMenu.Item>
          {team && user.role === 'admin' && (
            <DropdownMenu.Item asChild className={styles.menuItem}>
              <Link to="/admin">
                <Shield size={14} aria-hidden /> Admin
              </Link>
            </DropdownMenu.Item>
          )}
          {team && (
            <>
              <DropdownMenu.Separator className={styles.separator} />
              <DropdownMenu.Item className={styles.menuItem} disabled={signOut.isPending} onSelect={() => signOut.mutate()}>
                <LogOut size={14} aria-hidden /> Sign out
              </DropdownMenu.Item>
            </>
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
