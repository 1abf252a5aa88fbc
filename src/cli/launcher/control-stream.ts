import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from '../api-client.js';
import { backoffMs } from './retry.js';
import { SseParser } from './sse.js';

export interface ControlHandlers {
  /** Cancel was asked for: stop the process with this grace period. */
  onCancel: (graceMs: number) => void;
  /** Someone else ended the run (Mark as failed, lost contact): stop the process, keep `status`. */
  onEnded: (status: string) => void;
}

/** Keep-alives come every 15 s: this long without a byte means the connection is dead. */
const IDLE_MS = 45_000;

/**
 * Holds the run-control stream (`GET /api/studio/runs/:id/control/stream`) open for as
 * long as the launcher runs, reconnecting with backoff when it drops (a server restart).
 * Heartbeats carry the same news, so a cancel said while disconnected is not missed.
 */
export function followControl(api: ApiClient, runId: string, handlers: ControlHandlers): { close: () => void } {
  const stopped = new AbortController();
  const loop = async () => {
    for (let attempt = 0; !stopped.signal.aborted; ) {
      const connected = await listen(api, runId, handlers, stopped.signal).catch(() => false);
      attempt = connected ? 0 : attempt + 1;
      await sleep(backoffMs(attempt), undefined, { signal: stopped.signal }).catch(() => undefined);
    }
  };
  loop().catch(() => undefined);
  return { close: () => stopped.abort() };
}

/** One connection: true when it was open (so the next attempt starts without backoff). */
async function listen(api: ApiClient, runId: string, handlers: ControlHandlers, stopped: AbortSignal): Promise<boolean> {
  const connection = new AbortController();
  const abort = () => connection.abort();
  stopped.addEventListener('abort', abort);
  let idle: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(abort, IDLE_MS);
  };
  try {
    touch();
    const response = await api.fetch(`/api/studio/runs/${runId}/control/stream`, { headers: { accept: 'text/event-stream' }, signal: connection.signal });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return false;
    }
    const parser = new SseParser();
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      touch();
      for (const { event, data } of parser.push(decoder.decode(chunk, { stream: true }))) {
        const payload = JSON.parse(data) as { graceMs?: number; status?: string };
        if (event === 'cancel') handlers.onCancel(payload.graceMs ?? 0);
        else if (event === 'ended') handlers.onEnded(payload.status ?? 'FAILED');
      }
    }
    return true;
  } finally {
    clearTimeout(idle);
    stopped.removeEventListener('abort', abort);
  }
}
