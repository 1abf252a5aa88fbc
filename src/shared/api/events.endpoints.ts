import { runEventsQuery } from '../studio/events.js';
import { endpoint } from './endpoint.js';

/** The run-event stream: what changed in the runs a page shows, pushed as server-sent events. */
export const events = {
  stream: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/events', query: runEventsQuery, kind: 'sse', response: null }),
};
