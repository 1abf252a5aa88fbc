import os from 'node:os';
import { CliError, EXIT, type ApiClient } from '../api-client.js';
import { followControl, type ControlHandlers } from './control-stream.js';
import { heartbeatIntervalMs, startHeartbeats } from './heartbeat.js';

/**
 * Takes hold of a run (`POST /api/studio/runs/:id/control`): from now on Cancel in the
 * studio reaches this launcher. False when the server has no run control (an MLflow
 * server); a run that has already ended throws (a CliError with EXIT.invalid).
 */
export async function attachControl(api: ApiClient, runId: string, graceMs: number, pid: number): Promise<boolean> {
  try {
    await api.json(`/api/studio/runs/${runId}/control`, { body: { graceMs, host: os.hostname().slice(0, 255), pid }, signal: AbortSignal.timeout(10_000) });
    return true;
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.notFound) return false;
    throw error;
  }
}

/** Heartbeats and the control stream of a held run, together; `stop` ends both. */
export function holdRun(api: ApiClient, runId: string, graceMs: number, handlers: ControlHandlers): { stop: () => void } {
  const beats = startHeartbeats(api, runId, heartbeatIntervalMs(), handlers, graceMs);
  const stream = followControl(api, runId, handlers);
  return {
    stop: () => {
      beats.stop();
      stream.close();
    },
  };
}
