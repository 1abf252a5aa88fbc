import { lazy, Suspense } from 'react';
import styles from '../root-layout.module.css';

// Loaded when first opened, as the admin and account pages are: most visits never open it.
const NotificationsPage = lazy(() => import('../../features/notifications/components/notifications-page.js').then((m) => ({ default: m.NotificationsPage })));

/** `/notifications`: notification rules and their deliveries. */
export function NotificationsRoute() {
  return (
    <Suspense fallback={<p role="status" className={styles.loading}>Loading…</p>}>
      <NotificationsPage />
    </Suspense>
  );
}
