import { StringDecoder } from 'node:string_decoder';
import type { FastifyInstance } from 'fastify';
import { logAppendQuery, logLinesQuery, logRangeQuery, logSearchQuery, logStreamQuery } from '../../../shared/studio/logs.js';
import type { Deps } from '../../services/deps.js';
import { checkLogName } from '../../blobs/log-store.js';
import { requireRun } from '../../services/logs.service.js';
import { parse } from '../../parse.js';

type LogParams = { Params: { id: string; name: string } };

/** Append-only run logs: idempotent appends by offset, ranges, line windows, search, live tail. */
export function logRoutes(app: FastifyInstance, deps: Deps): void {
  // The body of an append is the raw bytes, whatever the content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.get<{ Params: { id: string } }>('/runs/:id/logs', async (req) => {
    await requireRun(deps, req.params.id);
    return { logs: await deps.logs.list(req.params.id) };
  });

  app.post<LogParams>('/runs/:id/logs/:name', async (req) => {
    await requireRun(deps, req.params.id);
    const { offset } = parse(logAppendQuery, req.query);
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return deps.logs.append(req.params.id, req.params.name, offset, bytes);
  });

  app.get<LogParams>('/runs/:id/logs/:name', async (req, reply) => {
    await requireRun(deps, req.params.id);
    const { from, to } = parse(logRangeQuery, req.query);
    const size = await deps.logs.size(req.params.id, req.params.name);
    const bytes = await deps.logs.read(req.params.id, req.params.name, from ?? 0, to);
    return reply
      .header('content-type', 'text/plain; charset=utf-8')
      .header('x-log-size', String(size))
      .header('content-disposition', `inline; filename="${req.params.name}"`)
      .send(bytes);
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

  // Live tail: everything from `from`, then each append as it lands, as server-sent events.
  app.get<LogParams>('/runs/:id/logs/:name/stream', async (req, reply) => {
    await requireRun(deps, req.params.id);
    const { from } = parse(logStreamQuery, req.query);
    const { id, name } = req.params;
    checkLogName(name);
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const decoder = new StringDecoder('utf8');
    let sent = from;
    let busy = Promise.resolve();
    const flush = () => {
      busy = busy.then(async () => {
        const bytes = await deps.logs.read(id, name, sent);
        if (bytes.length === 0 || out.destroyed) return;
        const event = { from: sent, to: sent + bytes.length, text: decoder.write(bytes) };
        sent += bytes.length;
        out.write(`event: append\ndata: ${JSON.stringify(event)}\n\n`);
      }).catch((error: unknown) => {
        // A failed read ends this stream (the client reconnects), never the server.
        req.log.warn({ err: error }, 'log stream read failed');
        out.destroy();
      });
    };
    const unsubscribe = deps.logs.onAppend(id, name, flush);
    // Appends by another replica or process reach this one through the file: look too.
    const poll = setInterval(flush, 1000);
    const keepAlive = setInterval(() => out.write(': keep-alive\n\n'), 15_000);
    out.write('retry: 1000\n\n');
    flush();
    req.raw.on('close', () => {
      unsubscribe();
      clearInterval(poll);
      clearInterval(keepAlive);
    });
  });
}
