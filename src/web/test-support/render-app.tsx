import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { createMemoryHistory, RouterProvider } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { createAppRouter } from '../app/router.js';
import { createQueryClient } from '../lib/query-client.js';

/**
 * The app's own query client (its defaults and its global error handling), with retries off
 * so a failure shows at once. A new one per test: no cache leaks from one test to the next.
 */
export function createTestQueryClient(): QueryClient {
  const client = createQueryClient();
  const defaults = client.getDefaultOptions();
  client.setDefaultOptions({
    ...defaults,
    queries: { ...defaults.queries, retry: false },
    mutations: { ...defaults.mutations, retry: false },
  });
  return client;
}

/**
 * Renders the whole app (root layout, routes, toasts) at `path`, on a memory history and a
 * fresh query client, as a user who opened that address. `user` clicks and types.
 */
export function renderApp(path: string) {
  const queryClient = createTestQueryClient();
  const history = createMemoryHistory({ initialEntries: [path] });
  const router = createAppRouter({ history });
  const user = userEvent.setup();
  const view = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  /** The address bar: path and search as the router holds them. */
  const location = () => router.state.location;
  return { ...view, user, router, queryClient, history, location };
}
