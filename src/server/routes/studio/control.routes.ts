import type { FastifyInstance } from 'fastify';
import { attachControlBody, failRunBody, type ControlEvent } from '../../../shared/studio/control.js';
import type { Deps } from '../../services/deps.js';
import * as control from '../../services/run-control.service.js';
import { parse } from '../../parse.js';

type RunParams = { Params: { id: string } };

const KEEP_ALIVE_MS = 15_000;

const encode = ({ event, data }: ControlEvent) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** Run control: launchers take hold of runs, send heartbeats and hear cancels; Cancel and Mark as failed. */
export function controlRoutes(app: FastifyInstance, deps: Deps): void {
  // Open control streams never end by themselves: a closing server ends them.
  const open = new Set<{ destroy(): void }>();
  app.addHook('preClose', async () => open.forEach((stream) => stream.destroy()));
  app.post<RunParams>('/runs/:id/cancel', async (req) => control.cancelRun(deps, req.params.id));
  app.post<RunParams>('/runs/:id/fail', async (req) => control.failRun(deps, req.params.id, parse(failRunBody, req.body).reason));
  app.get<RunParams>('/runs/:id/control', async (req) => control.getControl(deps, req.params.id));
  app.post<RunParams>('/runs/:id/control', async (req) => control.attach(deps, req.params.id, parse(attachControlBody, req.body)));
  app.post<RunParams>('/runs/:id/heartbeat', async (req) => control.heartbeat(deps, req.params.id));

  // The launcher's run-control stream: a cancel reaches it at once, not at its next heartbeat.
  app.get<RunParams>('/runs/:id/control/stream', async (req, reply) => {
    const events: ControlEvent[] = [];
    let out: NodeJS.WritableStream | null = null;
    // Listen before reading the state, so nothing said in between is missed.
    const stop = deps.control.on(req.params.id, (event) => (out ? out.write(encode(event)) : events.push(event)));
    try {
      const { control: state, status } = await control.controlState(deps, req.params.id);
      if (state.cancelRequested) events.unshift({ event: 'cancel', data: { graceMs: state.graceMs ?? 0 } });
      else if (status !== 'RUNNING' && status !== 'SCHEDULED') events.unshift({ event: 'ended', data: { status } });
    } catch (error) {
      stop();
      throw error;
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write('retry: 1000\n\n');
    for (const event of events) raw.write(encode(event));
    out = raw;
    const timer = setInterval(() => raw.write(': keep-alive\n\n'), KEEP_ALIVE_MS).unref();
    open.add(raw);
    const close = () => {
      clearInterval(timer);
      stop();
      open.delete(raw);
    };
    raw.on('close', close);
    if (raw.destroyed) close();
  });
}
