import type { ApiClient } from '../api-client.js';
import type { HeartbeatResponse } from '../../shared/studio/control.js';
import type { ControlHandlers } from './control-stream.js';

/** Every 10 s unless RUNSTUDIO_HEARTBEAT_INTERVAL_MS says otherwise (tests). */
export function heartbeatIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.RUNSTUDIO_HEARTBEAT_INTERVAL_MS);
  return Number.isFinite(value) && value > 0 ? value : 10_000;
}

/**
 * Tells the server the launcher is alive, so the run is not marked FAILED for lost
 * contact; each answer also says whether a cancel was asked or the run ended elsewhere.
 * Failures are ignored: the server may be restarting, and the next beat tries again.
 */
export function startHeartbeats(api: ApiClient, runId: string, intervalMs: number, handlers: ControlHandlers, graceMs: number): { stop: () => void } {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const beat = async () => {
    try {
      const answer = await api.json<HeartbeatResponse>(`/api/studio/runs/${runId}/heartbeat`, { body: {}, signal: AbortSignal.timeout(Math.max(intervalMs, 5000)) });
      if (stopped) return;
      if (answer.ended) handlers.onEnded(answer.status);
      else if (answer.cancelRequested) handlers.onCancel(graceMs);
    } catch {
      // The server is away or busy: the next beat tries again.
    }
  };
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      beat().finally(next).catch(() => undefined);
    }, intervalMs);
  };
  next();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
