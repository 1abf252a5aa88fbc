import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import type { ControlEvent } from '../../../shared/studio/control.js';
import type { Deps } from '../../services/deps.js';
import * as control from '../../services/run-control.service.js';
import { ApiError } from '../../errors.js';
import { route } from '../define-route.js';
import { actorOf } from '../../auth/principal.js';

const e = endpoints.control;

const KEEP_ALIVE_MS = 15_000;
/** A launcher holds one stream per run; a few more allow for a reconnect before the old one is noticed closed. */
const STREAMS_PER_RUN = 4;

const encode = ({ event, data }: ControlEvent) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** Run control: launchers take hold of runs, send heartbeats and hear cancels; Cancel and Mark as failed. */
export function controlRoutes(app: FastifyInstance, deps: Deps): void {
  // Open control streams never end by themselves: a closing server ends them.
  const open = new Set<{ destroy(): void }>();
  const perRun = new Map<string, number>();
  app.addHook('preClose', async () => open.forEach((stream) => stream.destroy()));
  route(app, e.cancel, async ({ req, params }) => control.cancelRun(deps, params.id, actorOf(req.principal)));
  route(app, e.fail, async ({ req, params, body }) => control.failRun(deps, params.id, body.reason, actorOf(req.principal)));
  route(app, e.get, async ({ params }) => control.getControl(deps, params.id));
  route(app, e.attach, async ({ params, body }) => control.attach(deps, params.id, body));
  route(app, e.heartbeat, async ({ params }) => control.heartbeat(deps, params.id));

  // The launcher's run-control stream: a cancel reaches it at once, not at its next heartbeat.
  route(app, e.stream, async ({ params, reply }) => {
    const runId = params.id;
    const limit = deps.options.maxControlStreams;
    if (open.size >= limit || (perRun.get(runId) ?? 0) >= STREAMS_PER_RUN) {
      reply.header('retry-after', '5');
      const why = open.size >= limit ? `Too many open control streams (limit ${limit})` : `Run ${runId} already has ${STREAMS_PER_RUN} open control streams (the limit per run)`;
      throw new ApiError('TEMPORARILY_UNAVAILABLE', `${why}; retry later.`);
    }
    // The slot is taken before the first await, so concurrent connects cannot pass the cap together.
    const slot = { destroy: () => undefined as void };
    open.add(slot);
    perRun.set(runId, (perRun.get(runId) ?? 0) + 1);
    const events: ControlEvent[] = [];
    let out: NodeJS.WritableStream | null = null;
    // Set once the stream is open; close() may run before that (a failed state read).
    const keepAlive: { timer?: NodeJS.Timeout } = {};
    // Listen before reading the state, so nothing said in between is missed.
    const stop = deps.control.on(runId, (event) => (out ? out.write(encode(event)) : events.push(event)));
    const close = () => {
      if (!open.delete(slot)) return;
      clearInterval(keepAlive.timer);
      stop();
      const left = (perRun.get(runId) ?? 1) - 1;
      if (left > 0) perRun.set(runId, left);
      else perRun.delete(runId);
    };
    try {
      const { control: state, status } = await control.controlState(deps, runId);
      if (state.cancelRequested) events.unshift({ event: 'cancel', data: { graceMs: state.graceMs ?? 0 } });
      else if (status !== 'RUNNING' && status !== 'SCHEDULED') events.unshift({ event: 'ended', data: { status } });
    } catch (error) {
      close();
      throw error;
    }
    reply.hijack();
    const raw = reply.raw;
    slot.destroy = () => raw.destroy();
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write('retry: 1000\n\n');
    for (const event of events) raw.write(encode(event));
    out = raw;
    keepAlive.timer = setInterval(() => raw.write(': keep-alive\n\n'), KEEP_ALIVE_MS).unref();
    raw.on('close', close);
    if (raw.destroyed) close();
  });
}
