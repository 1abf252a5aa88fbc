import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import type { RunEvent } from '../../../shared/studio/events.js';
import { ApiError, invalidParameter } from '../../errors.js';
import type { StoredEvent } from '../../events/run-event-bus.js';
import type { Deps } from '../../services/deps.js';
import { route } from '../define-route.js';

const KEEP_ALIVE_MS = 15_000;
/** A stream whose reader lets this much pile up is closed; its page reconnects and catches up from the table. */
const MAX_BUFFERED_BYTES = 1 << 20;
const CATCH_UP_BATCH = 1000;

const encode = (id: number, event: RunEvent) => `id: ${id}\nevent: run\ndata: ${JSON.stringify(event)}\n\n`;

/** Which runs a stream shows: runs of some experiments, some runs (and their children), or all. */
function scopeOf(experiments: string[] | undefined, runs: string[] | undefined): (event: RunEvent) => boolean {
  const e = experiments && experiments.length > 0 ? new Set(experiments) : null;
  const r = runs && runs.length > 0 ? new Set(runs) : null;
  if (!e && !r) return () => true;
  return (event) => Boolean(e?.has(event.experimentId) || r?.has(event.runId) || (r && event.parentRunId && r.has(event.parentRunId)));
}

/** `GET /api/studio/events`: the run-event stream (see src/shared/studio/events.ts). */
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

    const slot = { destroy: () => undefined as void };
    open.add(slot);
    let live = false;
    const held: StoredEvent[] = [];
    reply.hijack();
    const raw = reply.raw;
    const write = (stored: StoredEvent) => {
      if (stored.type !== 'run' || !inScope(stored.event)) return;
      raw.write(encode(stored.id, stored.event));
      if (raw.writableLength > MAX_BUFFERED_BYTES) raw.destroy();
    };
    // Subscribed before the head is read, so nothing stored in between is missed.
    const stop = deps.events.subscribe((events) => (live ? events.forEach(write) : held.push(...events)));
    const keepAlive: { timer?: NodeJS.Timeout } = {};
    const close = () => {
      if (!open.delete(slot)) return;
      stop();
      clearInterval(keepAlive.timer);
    };
    slot.destroy = () => raw.destroy();
    raw.on('close', close);
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write('retry: 1000\n\n');
    const upTo = deps.events.head;
    try {
      if (after === undefined) {
        raw.write(`id: ${upTo}\nevent: ready\ndata: {}\n\n`);
      } else if (!(await deps.events.holdsAfter(after))) {
        // What the page missed is gone (pruned, or another server's ids): it must refetch.
        raw.write(`id: ${upTo}\nevent: reset\ndata: {}\n\n`);
      } else {
        for (let cursor = after; cursor < upTo && !raw.destroyed; ) {
          const batch = await deps.events.readAfter(cursor, CATCH_UP_BATCH, upTo);
          if (batch.length === 0) break;
          batch.forEach(write);
          cursor = batch[batch.length - 1]!.id;
        }
        raw.write(`id: ${upTo}\nevent: ready\ndata: {}\n\n`);
      }
    } catch (error) {
      req.log.error(error);
      raw.destroy();
      return;
    }
    for (const stored of held) if (stored.id > upTo) write(stored);
    held.length = 0;
    live = true;
    // A bare `id:` moves the page's Last-Event-ID past events it did not need, so a quiet
    // stream resumes from near the head rather than from an id that may be pruned by then.
    keepAlive.timer = setInterval(() => raw.write(`id: ${deps.events.head}\n\n`), KEEP_ALIVE_MS).unref();
    if (raw.destroyed) close();
  });
}
