import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { FIRST_PAGE_ELEMENT_ID, type EmbeddedFirstPage } from '../../shared/studio/first-page.js';
import type { StudioSearchRunsResponse } from '../../shared/studio/runs.js';
import { runKeys } from './query-keys.js';

/** The first page the server embedded in this HTML, taken out of the DOM: a second call finds none. */
function takeEmbeddedFirstPage(): EmbeddedFirstPage | null {
  const element = document.getElementById(FIRST_PAGE_ELEMENT_ID);
  if (!element) return null;
  element.remove();
  try {
    return JSON.parse(element.textContent) as EmbeddedFirstPage;
  } catch {
    // A page that does not parse is no page: the list asks the server, as without one.
    return null;
  }
}

/**
 * Puts the All runs page's first page, when the server embedded it in the HTML, in the cache
 * as the first page of the list query of the very request it was computed for, as if that
 * query had just fetched it: the table paints without waiting for a request, and every
 * refetch, further page or other request goes to the server as usual. Once per page load.
 */
export function primeEmbeddedFirstPage(client: QueryClient): QueryClient {
  const page = takeEmbeddedFirstPage();
  if (page) {
    client.setQueryData<InfiniteData<StudioSearchRunsResponse, string | null>>(runKeys.list(page.request), { pages: [page.response], pageParams: [null] });
    embeddedEventsAfter = typeof page.eventsAfter === 'number' ? String(page.eventsAfter) : null;
  }
  return client;
}

let embeddedEventsAfter: string | null = null;

/**
 * Where the All runs page's first event stream resumes when its first page came in the HTML:
 * after the last event stored before that page was read, so a run created or changed while
 * the scripts loaded is not missed. Once; null otherwise.
 */
export function takeEmbeddedEventsAfter(): string | null {
  const after = embeddedEventsAfter;
  embeddedEventsAfter = null;
  return after;
}
