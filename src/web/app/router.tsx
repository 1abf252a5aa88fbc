import { createRootRoute, createRoute, createRouter, redirect } from '@tanstack/react-router';
import { parseExplorerState } from '../../shared/studio/explorer-state.js';
import { ExperimentsPage } from '../features/experiments/components/experiments-page.js';
import { RunPage } from '../features/runs/components/run-page.js';
import { NotFound, RootLayout } from './root-layout.js';
import { ExperimentRunsRoute } from './routes/experiment-runs.js';
import { AllRunsRoute } from './routes/runs.js';

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

const experimentRunsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/experiments/$experimentId',
  validateSearch: parseExplorerState,
  component: function ExperimentRuns() {
    const { experimentId } = experimentRunsRoute.useParams();
    return <ExperimentRunsRoute experimentId={experimentId} />;
  },
});

const runRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/runs/$runId',
  component: function Run() {
    const { runId } = runRoute.useParams();
    return <RunPage key={runId} runId={runId} />;
  },
});

const routeTree = rootRoute.addChildren([indexRoute, experimentsRoute, runsRoute, experimentRunsRoute, runRoute]);

export const router = createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
