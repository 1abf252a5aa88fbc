import { QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, RouterProvider } from '@tanstack/react-router';
import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { endpointPath, endpoints } from '../../shared/api/index.js';
import { toSearchRequest } from '../../shared/studio/explorer-state.js';
import { FIRST_PAGE_ELEMENT_ID, type EmbeddedFirstPage } from '../../shared/studio/first-page.js';
import type { StudioSearchRunsResponse } from '../../shared/studio/runs.js';
import { createAppRouter } from '../app/router.js';
import { FakeEventSource } from '../test-support/observers.js';
import { createTestQueryClient } from '../test-support/render-app.js';
import { createExperiment, seedRun } from '../test-support/seed.js';
import { startTestServer } from '../test-support/server.js';
import { primeEmbeddedFirstPage } from './bootstrap-data.js';
import { runKeys } from './query-keys.js';

const server = startTestServer();

/** The page a server embeds in /runs, with its one run renamed so the test sees where a row came from. */
let embedded: EmbeddedFirstPage;
beforeAll(async () => {
  await seedRun(server(), await createExperiment(server(), 'embedded'), { name: 'from the server' });
  const request = toSearchRequest({});
  const response = (await server().app.inject({ method: 'POST', url: endpointPath(endpoints.runs.search), payload: request })).json<StudioSearchRunsResponse>();
  embedded = { request, response: { ...response, runs: response.runs.map((r) => ({ ...r, runName: 'from the html' })) }, eventsAfter: 41 };
});

/** Every run search the page sends. */
function watchSearches(): unknown[] {
  const searches: unknown[] = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith(endpointPath(endpoints.runs.search)) && typeof init?.body === 'string') searches.push(JSON.parse(init.body));
    return realFetch(input, init);
  });
  return searches;
}

/** The app at `path` as main.tsx starts it: a page whose HTML carried `embedded`, primed into a fresh client. */
function openWithEmbeddedPage(path: string) {
  const element = document.createElement('script');
  element.type = 'application/json';
  element.id = FIRST_PAGE_ELEMENT_ID;
  element.textContent = JSON.stringify(embedded);
  document.body.append(element);
  const queryClient = primeEmbeddedFirstPage(createTestQueryClient());
  const router = createAppRouter({ history: createMemoryHistory({ initialEntries: [path] }) });
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return queryClient;
}

afterEach(() => {
  vi.restoreAllMocks();
  document.getElementById(FIRST_PAGE_ELEMENT_ID)?.remove();
});

describe('the first page embedded in the HTML of /runs', () => {
  it('is the All runs table’s first page once, without a request; a refetch asks the server', async () => {
    const searches = watchSearches();
    const queryClient = openWithEmbeddedPage('/runs');
    expect(await screen.findByRole('link', { name: 'from the html' })).toBeInTheDocument();
    expect(searches).toEqual([]);
    // Its event stream resumes after the last event stored before the page was read: nothing between is missed.
    await waitFor(() => expect([...FakeEventSource.instances].map((source) => source.url)).toContainEqual(expect.stringMatching(/\/api\/studio\/events\?.*after=41/)));
    // Taken out of the page: a second client (or a second read) finds nothing.
    expect(document.getElementById(FIRST_PAGE_ELEMENT_ID)).toBeNull();
    expect(primeEmbeddedFirstPage(createTestQueryClient()).getQueryData(runKeys.list(embedded.request))).toBeUndefined();

    await queryClient.invalidateQueries({ queryKey: runKeys.lists() });
    expect(await screen.findByRole('link', { name: 'from the server' })).toBeInTheDocument();
    expect(searches).toContainEqual(embedded.request);
  });

  it('is not used for another state of the explorer', async () => {
    const searches = watchSearches();
    openWithEmbeddedPage('/runs?q=%22from%22');
    expect(await screen.findByRole('link', { name: 'from the server' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'from the html' })).toBeNull();
    await waitFor(() => expect(searches).toContainEqual(toSearchRequest({ q: 'from' })));
  });
});
