import type { StudioSearchRunsRequest, StudioSearchRunsResponse } from './runs.js';

/**
 * The All runs page's first page, embedded by the server in the HTML of a plain `/runs` (no
 * search params) as `<script type="application/json" id={FIRST_PAGE_ELEMENT_ID}>`, so the
 * table paints without waiting for its request after the scripts run. `request` is the
 * explorer's default search (`toSearchRequest({})`); the web app uses `response` only as the
 * first page of that very request, once, on the load that carried it.
 */
export interface EmbeddedFirstPage {
  request: StudioSearchRunsRequest;
  response: StudioSearchRunsResponse;
  /** The last run event stored before the page was read: the page's event stream resumes after it, so nothing in between is missed. */
  eventsAfter: number;
}

export const FIRST_PAGE_ELEMENT_ID = 'runstudio-first-page';
