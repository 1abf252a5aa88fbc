import { Link, Outlet } from '@tanstack/react-router';
import { Activity } from 'lucide-react';
import { Toaster } from 'sonner';
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
        </nav>
        <ThemePicker />
      </header>
      <main id="main" className={styles.main}>
        <Outlet />
      </main>
      <Toaster position="bottom-right" richColors closeButton />
    </div>
  );
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
