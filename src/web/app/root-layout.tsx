import { Link, Navigate, Outlet, useLocation } from '@tanstack/react-router';
import { Activity } from 'lucide-react';
import { Toaster } from 'sonner';
import { UserMenu } from '../features/auth/components/user-menu.js';
import { useSession, useSessionExpiry } from '../lib/session.js';
import styles from './root-layout.module.css';
import { ThemePicker } from './theme-picker.js';

/** The frame of every page: the top navigation and the page below it. */
export function RootLayout() {
  return (
    <div className={styles.shell}>
      <a href="#main" className={styles.skip}>
        Skip to content
      </a>
      <header className={styles.topbar}>
        <Link to="/runs" className={styles.brand}>
          <Activity size={18} aria-hidden /> Runstudio
        </Link>
        <nav aria-label="Main" className={styles.nav}>
          <Link to="/experiments" className={styles.navLink} activeProps={{ 'aria-current': 'page' }} activeOptions={{ exact: false }}>
            Experiments
          </Link>
          <Link to="/runs" className={styles.navLink} activeProps={{ 'aria-current': 'page' }} activeOptions={{ exact: true, includeSearch: false }}>
            All runs
          </Link>
          <Link to="/notifications" className={styles.navLink} activeProps={{ 'aria-current': 'page' }}>
            Notifications
          </Link>
        </nav>
        <ThemePicker />
        <UserMenu />
      </header>
      <main id="main" className={styles.main}>
        <SignedInOutlet />
      </main>
      <Toaster position="bottom-right" richColors closeButton />
    </div>
  );
}

/**
 * The page, or sign-in when a team server has nobody signed in here. The session loads
 * beside the page, never before it: local mode (the default) waits for nothing. A 401 from
 * any call reads the session again (useSessionExpiry), which lands here.
 */
function SignedInOutlet() {
  useSessionExpiry();
  const session = useSession().data;
  const location = useLocation();
  const signedOut = session?.mode === 'team' && session.user === null;
  if (signedOut && location.pathname !== '/sign-in') return <Navigate to="/sign-in" search={{ next: location.href }} replace />;
  return <Outlet />;
}

export function NotFound() {
  return (
    <section className={styles.notFound}>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. Go to <Link to="/runs">all runs</Link> or <Link to="/experiments">experiments</Link>.
      </p>
    </section>
  );
}
