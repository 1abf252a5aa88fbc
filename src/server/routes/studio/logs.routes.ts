import type { FastifyInstance, FastifyRequest } from 'fastify';
import rangeParser from 'range-parser';
import { logAppendQuery, logLastEventId, logLinesQuery, logRangeQuery, logSearchQuery, logStreamQuery } from '../../../shared/studio/logs.js';
import type { Deps } from '../../services/deps.js';
import { ApiError } from '../../errors.js';
import { checkLogName } from '../../blobs/log-store.js';
import { requireRun } from '../../services/logs.service.js';
import { parse } from '../../parse.js';

type LogParams = { Params: { id: string; name: string } };

/** [start, end) to send and the status: a `Range` of one part is a 206, an unsatisfiable one a 416. */
function byteRange(req: FastifyRequest, size: number): { start: number; end: number; status: 200 | 206 | 416 } {
  const { from, to } = parse(logRangeQuery, req.query);
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

  app.get<{ Params: { id: string } }>('/runs/:id/logs', async (req) => {
    await requireRun(deps, req.params.id);
    return { logs: await deps.logs.list(req.params.id) };
  });

  app.post<LogParams>('/runs/:id/logs/:name', { config: { accepts: 'octet-stream' } }, async (req) => {
    await requireRun(deps, req.params.id);
    const { offset } = parse(logAppendQuery, req.query);
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return deps.logs.append(req.params.id, req.params.name, offset, bytes);
  });

  // The whole log (the Download link) or a byte range of it, streamed from disk; not compressed, so ranges stay byte ranges.
  app.get<LogParams>('/runs/:id/logs/:name', { compress: false }, async (req, reply) => {
    await requireRun(deps, req.params.id);
    const size = await deps.logs.size(req.params.id, req.params.name);
    const { start, end, status } = byteRange(req, size);
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
      .header('content-disposition', `inline; filename="${req.params.name}"`)
      .send(deps.logs.stream(req.params.id, req.params.name, start, end) ?? Buffer.alloc(0));
  });

  app.get<LogParams>('/runs/:id/logs/:name/lines', async (req) => {
    await requireRun(deps, req.params.id);
    const { start, count } = parse(logLinesQuery, req.query);
    return deps.logs.lines(req.params.id, req.params.name, start, count);
  });

  app.get<LogParams>('/runs/:id/logs/:name/search', async (req) => {
    await requireRun(deps, req.params.id);
    const { q, limit } = parse(logSearchQuery, req.query);
    return deps.logs.search(req.params.id, req.params.name, q, limit);
  });

  // Live tail: everything from `from` (or `Last-Event-ID`), then each append, as server-sent events.
  app.get<LogParams>('/runs/:id/logs/:name/stream', async (req, reply) => {
    await requireRun(deps, req.params.id);
    const resumed = logLastEventId.safeParse(req.headers['last-event-id']);
    const from = resumed.success ? resumed.data : parse(logStreamQuery, req.query).from;
    checkLogName(req.params.name);
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
    const stop = deps.logs.follow(req.params.id, req.params.name, from, out, (error) => req.log.warn({ err: error }, 'log stream read failed'));
    out.on('close', stop);
    if (out.destroyed) stop();
  });
}
