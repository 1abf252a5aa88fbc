import { z } from 'zod';
import { logAppendQuery, logAppendResponse, logInfoSchema, logLinesQuery, logLinesSchema, logRangeQuery, logSearchQuery, logSearchResponse, logStreamQuery } from '../studio/logs.js';
import { endpoint } from './endpoint.js';
import { runIdParams, runLogParams } from './params.js';

/** A run's append-only logs: appends by byte offset, download with ranges, line windows, search, live tail. */
export const logs = {
  list: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/runs/:id/logs', params: runIdParams, response: z.object({ logs: z.array(logInfoSchema) }) }),
  /** The body is the raw bytes (application/octet-stream); idempotent by `offset`. */
  append: endpoint({ method: 'POST', access: 'contributor', base: 'studio', path: '/runs/:id/logs/:name', params: runLogParams, query: logAppendQuery, accepts: 'octet-stream', response: logAppendResponse }),
  /** The whole log or a byte range (`from`/`to`, or a Range header), as text/plain. */
  download: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/runs/:id/logs/:name', params: runLogParams, query: logRangeQuery, kind: 'raw', response: null }),
  lines: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/runs/:id/logs/:name/lines', params: runLogParams, query: logLinesQuery, response: logLinesSchema }),
  search: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/runs/:id/logs/:name/search', params: runLogParams, query: logSearchQuery, response: logSearchResponse }),
  /** Live tail: server-sent `append` events (LogAppendEvent), resumable by Last-Event-ID. */
  stream: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/runs/:id/logs/:name/stream', params: runLogParams, query: logStreamQuery, kind: 'sse', response: null }),
};
