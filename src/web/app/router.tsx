import { createRootRoute, createRoute, createRouter, Outlet, redirect, useMatch, type RouterHistory } from '@tanstack/react-router';
import { lazy, Suspense } from 'react';
import { parseExplorerState } from '../../shared/studio/explorer-state.js';
import { SignInPage } from '../features/auth/components/sign-in-page.js';
import { ExperimentsPage } from '../features/experiments/components/experiments-page.js';
import { parseModelListState } from '../features/models/model-list-state.js';
import { parseCompareState } from '../../shared/studio/compare-state.js';
import { parseRunPageState } from '../../shared/studio/run-page-state.js';
import { mlflowHashTarget } from '../lib/mlflow-links.js';
import { reportError } from '../lib/report-error.js';
import { NotFound, RootLayout } from './root-layout.js';
import styles from './root-layout.module.css';
import { CompareRoute } from './routes/compare.js';
import { ExperimentRoute } from './routes/experiment-page.js';
import { ExperimentModelsTab, ExperimentRunsTab } from './routes/experiment-tabs.js';
import { NotificationsRoute } from './routes/notifications.js';
import { AllRunsRoute } from './routes/runs.js';

// The run page (Markdown, logs, charts) loads when first opened, not with the explorer.
const RunPage = lazy(() => import('../features/run-details/components/run-page.js').then((m) => ({ default: m.RunPage })));
// So do the admin and account pages: most visits never open them.
const AdminPage = lazy(() => import('../features/admin/components/admin-page.js').then((m) => ({ default: m.AdminPage })));
const AccountPage = lazy(() => import('../features/account/components/account-page.js').then((m) => ({ default: m.AccountPage })));

/** `?next=` of the sign-in page: where to go after it (checked for being ours when used). */
const parseSignInSearch = (search: Record<string, unknown>): { next?: string } => (typeof search.next === 'string' ? { next: search.next } : {});

const rootRoute = createRootRoute({ component: RootLayout, notFoundComponent: NotFound });

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/runs' });
  },
});

const experimentsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/experiments', component: ExperimentsPage });

const runsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/runs',
  validateSearch: parseExplorerState,
  component: AllRunsRoute,
});

// One experiment: a layout (heading, Runs and Models tabs) over one child route per tab.
const experimentRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/experiments/$experimentId',
  component: function Experiment() {
    const { experimentId } = experimentRoute.useParams();
    const models = useMatch({ from: experimentModelsRoute.id, shouldThrow: false });
    return (
      <ExperimentRoute experimentId={experimentId} tab={models ? 'models' : 'runs'}>
        <Outlet />
      </ExperimentRoute>
    );
  },
});

const experimentRunsRoute = createRoute({
  getParentRoute: () => experimentRoute,
  path: '/',
  validateSearch: parseExplorerState,
  component: function ExperimentRuns() {
    return <ExperimentRunsTab experimentId={experimentRunsRoute.useParams().experimentId} />;
  },
});

const experimentModelsRoute = createRoute({
  getParentRoute: () => experimentRoute,
  path: 'models',
  validateSearch: parseModelListState,
  component: function ExperimentModels() {
    return <ExperimentModelsTab experimentId={experimentModelsRoute.useParams().experimentId} state={experimentModelsRoute.useSearch()} />;
  },
});

const runRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/runs/$runId',
  validateSearch: parseRunPageState,
  component: function Run() {
    const { runId } = runRoute.useParams();
    const state = runRoute.useSearch();
    return (
      <Suspense fallback={<p role="status" className={styles.loading}>Loading run…</p>}>
        <RunPage key={runId} runId={runId} state={state} />
      </Suspense>
    );
  },
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: parseSignInSearch,
  component: function SignIn() {
    return <SignInPage next={signInRoute.useSearch().next} />;
  },
});

const adminRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin',
  component: () => (
    <Suspense fallback={<p role="status" className={styles.loading}>Loading…</p>}>
      <AdminPage />
    </Suspense>
  ),
});

const accountRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/account',
  component: () => (
    <Suspense fallback={<p role="status" className={styles.loading}>Loading…</p>}>
      <AccountPage />
    </Suspense>
  ),
});

const notificationsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/notifications', component: NotificationsRoute });

const compareRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/compare',
  validateSearch: parseCompareState,
  component: function Compare() {
    return <CompareRoute state={compareRoute.useSearch()} />;
  },
});

const routeTree = rootRoute.addChildren([indexRoute, experimentsRoute, runsRoute, experimentRoute.addChildren([experimentRunsRoute, experimentModelsRoute]), runRoute, compareRoute, signInRoute, adminRoute, accountRoute, notificationsRoute]);

/** A router over the app's routes; tests pass a memory history, the app uses the browser's. */
export function createAppRouter(options: { history?: RouterHistory } = {}) {
  return createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: true, ...options });
}

/** The studio page an MLflow UI hash link in the address bar stands for, as an href; null when none. */
const mlflowLinkHref = () => {
  const target = mlflowHashTarget(window.location.hash);
  return target && target.pathname + target.search;
};

// MLflow's clients print links into MLflow's UI (`/#/experiments/1/runs/<id>`), whose hash never
// reaches the server: the app opens the closest studio page instead, replacing the address (no
// extra history entry). On load before the router reads the address, so no other page shows first.
const initialMlflowLink = mlflowLinkHref();
if (initialMlflowLink) window.history.replaceState(window.history.state, '', initialMlflowLink);

export const router = createAppRouter();

// And when such a link is pasted over the open app's address (only the hash changes).
window.addEventListener('hashchange', () => {
  const href = mlflowLinkHref();
  if (href) router.navigate({ href, replace: true }).catch(reportError);
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
