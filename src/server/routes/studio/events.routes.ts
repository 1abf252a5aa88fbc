import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import type { RunEvent } from '../../../shared/studio/events.js';
import { ApiError, invalidParameter } from '../../errors.js';
import type { StoredEvent } from '../../events/run-event-bus.js';
import type { Deps } from '../../services/deps.js';
import { route } from '../define-route.js';

const KEEP_ALIVE_MS = 15_000;
/** Past this many bytes waiting for the socket, a stream stops writing live events and catches up from the table once it drains. */
const MAX_BUFFERED_BYTES = 1 << 20;
const CATCH_UP_BATCH = 500;

const encode = (id: number, event: RunEvent) => `id: ${id}\nevent: run\ndata: ${JSON.stringify(event)}\n\n`;

/** Which runs a stream shows: runs of some experiments, some runs (and their children), or all. */
function scopeOf(experiments: string[] | undefined, runs: string[] | undefined): (event: RunEvent) => boolean {
  const e = experiments && experiments.length > 0 ? new Set(experiments) : null;
  const r = runs && runs.length > 0 ? new Set(runs) : null;
  if (!e && !r) return () => true;
  return (event) => Boolean(e?.has(event.experimentId) || r?.has(event.runId) || (r && event.parentRunId && r.has(event.parentRunId)));
}

/**
 * `GET /api/studio/events`: the run-event stream (see src/shared/studio/events.ts).
 *
 * A stream is either live (the bus's events are written as they come) or catching up (events
 * are read from the table in batches, each written once the socket has drained). It starts
 * catching up from Last-Event-ID, and falls back to catching up whenever its reader lets 1 MiB
 * pile up, so a slow page costs a bounded buffer and a resumed page gets everything it missed,
 * however much. Events pruned while it was behind turn into one `reset`.
 */
export function eventRoutes(app: FastifyInstance, deps: Deps): void {
  const open = new Set<{ destroy(): void }>();
  app.addHook('preClose', async () => open.forEach((stream) => stream.destroy()));

  route(app, endpoints.events.stream, async ({ query, req, reply }) => {
    const limit = deps.options.maxEventStreams;
    if (open.size >= limit) {
      reply.header('retry-after', '5');
      throw new ApiError('TEMPORARILY_UNAVAILABLE', `Too many open event streams (limit ${limit}); retry later.`);
    }
    const header = req.headers['last-event-id'];
    if (header !== undefined && !/^\d{1,15}$/.test(String(header))) throw invalidParameter('Last-Event-ID must be an event id (digits).');
    const after = header !== undefined ? Number(header) : query.after;
    const inScope = scopeOf(query.experiments, query.runs);

    reply.hijack();
    const raw = reply.raw;
    const slot = { destroy: () => raw.destroy() };
    open.add(slot);
    /** The id of the last event this stream has dealt with (sent, or out of its scope). */
    let cursor = deps.events.head;
    let live = false;
    let catching = false;

    const write = (stored: StoredEvent) => {
      cursor = stored.id;
      if (stored.type === 'run' && inScope(stored.event)) raw.write(encode(stored.id, stored.event));
    };
    /** Waits until the socket has taken what was written; false when the reader is gone or stalled (the stream is then closed). */
    const drained = async (): Promise<boolean> => {
      if (raw.destroyed) return false;
      if (!raw.writableNeedDrain) return true;
      // The waits that lose the race are removed, so a long slow stream gathers no listeners.
      const abort = new AbortController();
      const { signal } = abort;
      const outcome = await Promise.race([
        once(raw, 'drain', { signal }).then(() => 'drained' as const, () => 'aborted' as const),
        once(raw, 'close', { signal }).then(() => 'closed' as const, () => 'aborted' as const),
        delay(deps.options.eventStallMs, signal),
      ]).finally(() => abort.abort());
      if (outcome === 'drained') return true;
      raw.destroy();
      return false;
    };
    const catchUp = async () => {
      catching = true;
      live = false;
      try {
        for (;;) {
          if (raw.destroyed || !(await drained())) return;
          const batch = await deps.events.readAfter(cursor, CATCH_UP_BATCH);
          if (batch.length > 0 && batch[0]!.id !== cursor + 1 && !(await deps.events.holdsAfter(cursor))) {
            // What this page missed was pruned meanwhile: it must refetch.
            cursor = Math.max(deps.events.head, batch[batch.length - 1]!.id);
            raw.write(`id: ${cursor}\nevent: reset\ndata: {}\n\n`);
            continue;
          }
          for (const stored of batch) {
            write(stored);
            if (raw.writableLength > MAX_BUFFERED_BYTES && !(await drained())) return;
          }
          // Caught up with what this replica has handed out: from here on the bus's events are written as they come.
          if (batch.length < CATCH_UP_BATCH && cursor >= deps.events.head) {
            live = true;
            return;
          }
        }
      } finally {
        catching = false;
      }
    };
    const failed = (error: unknown) => {
      req.log.error(error);
      raw.destroy();
    };

    const stop = deps.events.subscribe((events) => {
      if (!live) return;
      for (const stored of events) {
        if (stored.id <= cursor) continue;
        write(stored);
        if (raw.writableLength > MAX_BUFFERED_BYTES) {
          // A slow reader: the rest comes from the table as it drains.
          if (!catching) catchUp().catch(failed);
          return;
        }
      }
    });
    const keepAlive = setInterval(() => {
      // A `ping` with the id moves the page's Last-Event-ID past events it did not need, so a
      // quiet stream resumes from near the head rather than from an id that may be pruned by then.
      if (live && !raw.writableNeedDrain) raw.write(`id: ${cursor}\nevent: ping\ndata: {}\n\n`);
    }, KEEP_ALIVE_MS).unref();
    raw.on('close', () => {
      open.delete(slot);
      stop();
      clearInterval(keepAlive);
    });
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write('retry: 1000\n\n');

    if (after === undefined) {
      live = true;
      raw.write(`id: ${cursor}\nevent: ready\ndata: {}\n\n`);
      return;
    }
    try {
      if (!(await deps.events.holdsAfter(after))) {
        // What the page missed is gone (pruned, or another server's ids): it must refetch.
        raw.write(`id: ${cursor}\nevent: reset\ndata: {}\n\n`);
      } else {
        cursor = after;
      }
      await catchUp();
      if (!raw.destroyed) raw.write(`id: ${cursor}\nevent: ready\ndata: {}\n\n`);
    } catch (error) {
      failed(error);
    }
  });
}

const delay = (ms: number, signal: AbortSignal) =>
  new Promise<'timeout'>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), ms).unref();
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
