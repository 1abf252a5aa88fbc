import { create as contentDisposition } from 'content-disposition';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rangeParser from 'range-parser';
import { endpoints } from '../../../shared/api/index.js';
import { logLastEventId } from '../../../shared/studio/logs.js';
import type { Deps } from '../../services/deps.js';
import { ApiError } from '../../errors.js';
import { checkLogName } from '../../blobs/log-store.js';
import { requireRun } from '../../services/logs.service.js';
import { route } from '../define-route.js';

const e = endpoints.logs;

/** [start, end) to send and the status: a `Range` of one part is a 206, an unsatisfiable one a 416. */
function byteRange(req: FastifyRequest, { from, to }: { from?: number | undefined; to?: number | undefined }, size: number): { start: number; end: number; status: 200 | 206 | 416 } {
  const header = req.headers.range;
  if (from !== undefined || to !== undefined || header === undefined) return { start: from ?? 0, end: Math.min(to ?? size, size), status: 200 };
  const ranges = rangeParser(size, header, { combine: true });
  if (ranges === -1) return { start: 0, end: 0, status: 416 };
  // A malformed header, or several parts: the whole log, as RFC 9110 allows.
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return { start: 0, end: size, status: 200 };
  return { start: ranges[0]!.start, end: ranges[0]!.end + 1, status: 206 };
}

/** Append-only run logs: byte-exact appends by offset, download with ranges, line windows, search, live tail. */
export function logRoutes(app: FastifyInstance, deps: Deps): void {
  // An append's body is the raw bytes, declared application/octet-stream; nothing else is read.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  // Live tails never end by themselves: a closing server ends them, or it would wait forever.
  app.addHook('preClose', async () => deps.logs.endStreams());

  route(app, e.list, async ({ params }) => {
    await requireRun(deps, params.id);
    return { logs: await deps.logs.list(params.id) };
  });

  route(app, e.append, async ({ params, query, body }) => {
    await requireRun(deps, params.id);
    const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    const result = await deps.logs.append(params.id, params.name, query.offset, bytes);
    if (result.appended > 0) deps.events.publish({ kind: 'log', runId: params.id, log: params.name, size: result.size });
    return result;
  });

  // The whole log (the Download link) or a byte range of it, streamed from disk; not compressed, so ranges stay byte ranges.
  route(
    app,
    e.download,
    async ({ params, query, req, reply }) => {
      await requireRun(deps, params.id);
      const size = await deps.logs.size(params.id, params.name);
      const { start, end, status } = byteRange(req, query, size);
      reply.header('accept-ranges', 'bytes').header('x-log-size', String(size));
      if (status === 416) {
        const message = `Range '${req.headers.range}' is outside the log (${size} bytes).`;
        return reply.status(416).header('content-range', `bytes */${size}`).send({ error_code: 'INVALID_PARAMETER_VALUE', message, size });
      }
      const length = Math.max(0, end - start);
      if (status === 206) reply.header('content-range', `bytes ${start}-${end - 1}/${size}`);
      return reply
        .status(status)
        .header('content-type', 'text/plain; charset=utf-8')
        .header('content-length', String(length))
        .header('content-disposition', contentDisposition(params.name, { type: 'inline' }))
        .send((await deps.logs.stream(params.id, params.name, start, end)) ?? Buffer.alloc(0));
    },
    { fastify: { compress: false } },
  );

  route(app, e.lines, async ({ params, query }) => {
    await requireRun(deps, params.id);
    return deps.logs.lines(params.id, params.name, query.start, query.count);
  });

  route(app, e.search, async ({ params, query }) => {
    await requireRun(deps, params.id);
    return deps.logs.search(params.id, params.name, query.q, query.limit);
  });

  // Live tail: everything from `from` (or `Last-Event-ID`), then each append, as server-sent events.
  route(app, e.stream, async ({ params, query, req, reply }) => {
    await requireRun(deps, params.id);
    const resumed = logLastEventId.safeParse(req.headers['last-event-id']);
    const from = resumed.success ? resumed.data : query.from;
    checkLogName(params.name);
    const limit = deps.options.maxLogStreams;
    if (deps.logs.openStreams >= limit) {
      reply.header('retry-after', '5');
      throw new ApiError('TEMPORARILY_UNAVAILABLE', `Too many open log streams (limit ${limit}); retry later.`);
    }
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    out.write('retry: 1000\n\n');
    const stop = deps.logs.follow(params.id, params.name, from, out, (error) => req.log.warn({ err: error }, 'log stream read failed'));
    out.on('close', stop);
    if (out.destroyed) stop();
  });
}
