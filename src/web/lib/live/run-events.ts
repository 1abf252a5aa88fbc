import { endpoints } from '../../../shared/api/index.js';
import { runEventSchema, type RunEvent } from '../../../shared/studio/events.js';
import { apiUrl } from '../api-client.js';

/** Which runs a stream shows: these experiments' runs, these runs (and their new children), or every run when both are empty. */
export interface RunEventScope {
  experiments?: string[];
  runs?: string[];
}

export interface RunEventHandlers {
  /** Events of the last moment, in order, at most one call per `batchMs`. */
  onEvents: (events: RunEvent[]) => void;
  /** What was missed is gone on the server: refetch everything the page shows. */
  onReset: () => void;
  /** The stream caught up (`ready`, `reset`: true) or broke (`error`: false). */
  onUp: (up: boolean) => void;
  /** Caught up; `first` on the first time this stream had no id to resume from. */
  onReady?: (first: boolean) => void;
}

export interface RunEventOptions {
  /** Resume after this event id (from an earlier stream of the page). */
  after?: string | null;
  /** Each event id seen, so a later stream of the page can resume from it. */
  onId?: (id: string) => void;
  batchMs?: number;
  /** A stream the browser gave up on (a 503, a non-SSE answer) is opened again this much later. */
  reopenMs?: number;
}

/** The stream's address for a scope; `after` resumes a stream that EventSource cannot resume itself. */
export function runEventsUrl(scope: RunEventScope, after?: string | null): string {
  const query: Record<string, string> = {};
  if (scope.experiments?.length) query.experiments = scope.experiments.join(',');
  if (scope.runs?.length) query.runs = scope.runs.join(',');
  if (after) query.after = after;
  return apiUrl(endpoints.events.stream, { query });
}

/**
 * Opens the run-event stream (`GET /api/studio/events`, see src/shared/studio/events.ts) for
 * one page's scope and returns its close. EventSource reconnects by itself and resends
 * Last-Event-ID, and the server replays what was missed; a stream the browser closed for good
 * is opened again here with `?after=`. Events are handed over in batches, so a burst of
 * changes costs the page one round of refetches.
 */
export function openRunEvents(scope: RunEventScope, handlers: RunEventHandlers, options: RunEventOptions = {}): () => void {
  const batchMs = options.batchMs ?? 50;
  const reopenMs = options.reopenMs ?? 5000;
  let lastId = options.after ?? null;
  let source: EventSource | null = null;
  let batch: RunEvent[] = [];
  let batchTimer: ReturnType<typeof setTimeout> | undefined;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let readyBefore = lastId !== null;
  let closed = false;

  const seen = (event: MessageEvent) => {
    if (!event.lastEventId) return;
    lastId = event.lastEventId;
    options.onId?.(lastId);
  };
  const flush = () => {
    clearTimeout(batchTimer);
    batchTimer = undefined;
    if (batch.length === 0 || closed) return;
    const events = batch;
    batch = [];
    handlers.onEvents(events);
  };
  const onRun = (event: MessageEvent<string>) => {
    seen(event);
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    const parsed = runEventSchema.safeParse(data);
    // An event this page cannot read is skipped: the next one of that run brings it up to date.
    if (!parsed.success) return;
    batch.push(parsed.data);
    batchTimer ??= setTimeout(flush, batchMs);
  };
  const onReady = (event: MessageEvent) => {
    seen(event);
    flush();
    handlers.onUp(true);
    handlers.onReady?.(!readyBefore);
    readyBefore = true;
  };
  const onReset = (event: MessageEvent) => {
    seen(event);
    batch = [];
    handlers.onReset();
    handlers.onUp(true);
    readyBefore = true;
  };
  const onError = () => {
    handlers.onUp(false);
    // CONNECTING: the browser retries by itself (the server asks for 1 s). CLOSED: it gave up.
    if (source?.readyState !== EventSource.CLOSED || closed) return;
    source = null;
    reopenTimer = setTimeout(connect, reopenMs);
  };
  function connect() {
    if (closed) return;
    source = new EventSource(runEventsUrl(scope, lastId));
    // The server's keep-alive carries the id it has dealt with: a quiet page resumes from near the head.
    source.addEventListener('ping', seen);
    source.addEventListener('run', onRun);
    source.addEventListener('ready', onReady);
    source.addEventListener('reset', onReset);
    source.addEventListener('error', onError);
  }
  connect();
  return () => {
    closed = true;
    clearTimeout(batchTimer);
    clearTimeout(reopenTimer);
    source?.close();
  };
}
