import type { z } from 'zod';
import type { attachControlBody, CancelRunResponse, HeartbeatResponse, RunControl } from '../../shared/studio/control.js';
import { FAIL_REASON_TAG } from '../../shared/studio/control.js';
import type { RunInfo } from '../../shared/mlflow/types.js';
import { ApiError, notFound } from '../errors.js';
import {
  attachControl,
  cancelDescendants,
  findControl,
  isHeld,
  LIVE_STATUSES,
  lostRuns,
  touchHeartbeat,
  toRunControl,
} from '../store/run-control.store.js';
import { findRunRow, toRunInfo, upsertTags, type RunRow } from '../store/runs.store.js';
import type { Deps } from './deps.js';
import { isRunId } from './validation.js';

const isLive = (status: string) => (LIVE_STATUSES as readonly string[]).includes(status);

function checkRunId(runId: string): void {
  if (!isRunId(runId)) throw notFound(`Run with id=${runId} not found`);
}

/** A run Cancel or Mark as failed may act on: active and not over. */
function checkLive(run: RunRow, action: string): void {
  if (run.lifecycle_stage !== 'active') throw new ApiError('INVALID_STATE', `Run ${run.run_uuid} is deleted; restore it before you ${action} it.`);
  if (!isLive(run.status)) {
    throw new ApiError('INVALID_STATE', `Run ${run.run_uuid} has already ended (${run.status}); only a queued or running run can be ${action === 'cancel' ? 'cancelled' : 'marked as failed'}.`);
  }
}

/** `runstudio run` takes hold of a run it started: from now on Cancel stops its process. */
export async function attach(deps: Deps, runId: string, body: z.output<typeof attachControlBody>): Promise<RunControl> {
  checkRunId(runId);
  return deps.db.write(async (trx) => {
    const run = await findRunRow(trx, runId);
    if (run.lifecycle_stage !== 'active' || !isLive(run.status)) {
      throw new ApiError('INVALID_STATE', `Run ${runId} is ${run.lifecycle_stage === 'active' ? run.status : 'deleted'}; a launcher can only take hold of a queued or running run.`);
    }
    await attachControl(trx, runId, body, deps.now());
    return toRunControl(await findControl(trx, runId), run.status);
  });
}

/** A launcher's heartbeat; the answer says whether to stop its process. */
export async function heartbeat(deps: Deps, runId: string): Promise<HeartbeatResponse> {
  checkRunId(runId);
  return deps.db.write(async (trx) => {
    const run = await findRunRow(trx, runId);
    const control = await touchHeartbeat(trx, runId, deps.now());
    if (!control) throw new ApiError('INVALID_STATE', `Run ${runId} is not held by a launcher: take hold of it with POST /api/studio/runs/${runId}/control first.`);
    const live = isLive(run.status) && run.lifecycle_stage === 'active';
    return { cancelRequested: live && control.cancel_requested_at !== null, ended: !live, status: run.status };
  });
}

export async function controlState(deps: Deps, runId: string): Promise<{ control: RunControl; status: string }> {
  checkRunId(runId);
  const run = await findRunRow(deps.db.kysely, runId);
  return { control: toRunControl(await findControl(deps.db.kysely, runId), run.status), status: run.status };
}

export async function getControl(deps: Deps, runId: string): Promise<RunControl> {
  return (await controlState(deps, runId)).control;
}

/**
 * Cancels a run and its live children. A run a launcher holds gets a cancel request (its
 * launcher stops the process and sets KILLED); any other is set KILLED at once, and its
 * process, if it has one, is not stopped: nothing here can reach it.
 */
export async function cancelRun(deps: Deps, runId: string): Promise<CancelRunResponse> {
  checkRunId(runId);
  const now = deps.now();
  const cutoff = now - deps.options.heartbeatTimeoutMs;
  const result = await deps.db.write(async (trx) => {
    const run = await findRunRow(trx, runId);
    checkLive(run, 'cancel');
    const control = await findControl(trx, runId);
    const held = isHeld(control, now, deps.options.heartbeatTimeoutMs);
    let info: RunInfo;
    if (held) {
      if (control.cancel_requested_at === null) await trx.updateTable('run_control').set({ cancel_requested_at: now }).where('run_uuid', '=', runId).execute();
      info = toRunInfo(run);
    } else {
      await trx.updateTable('runs').set({ status: 'KILLED', end_time: now }).where('run_uuid', '=', runId).execute();
      info = toRunInfo({ ...run, status: 'KILLED', end_time: now });
    }
    const children = await cancelDescendants(trx, runId, now, cutoff);
    return { info, held, graceMs: control?.grace_ms ?? 0, children };
  });
  if (result.held) deps.control.emit(runId, { event: 'cancel', data: { graceMs: result.graceMs } });
  for (const child of result.children.held) {
    const control = await findControl(deps.db.kysely, child);
    deps.control.emit(child, { event: 'cancel', data: { graceMs: control?.grace_ms ?? 0 } });
  }
  return { run_info: result.info, cancelRequested: result.held, launched: result.held, childrenCancelled: result.children.count };
}

/** Sets a live run FAILED with a reason in its `runstudio.failReason` tag, and tells its launcher. */
async function endAsFailed(deps: Deps, runId: string, reason: string, onlyIfLive: boolean): Promise<RunInfo | null> {
  const now = deps.now();
  const info = await deps.db.write(async (trx) => {
    const run = await findRunRow(trx, runId);
    if (onlyIfLive && (!isLive(run.status) || run.lifecycle_stage !== 'active')) return null;
    checkLive(run, 'mark as failed');
    await trx.updateTable('runs').set({ status: 'FAILED', end_time: now }).where('run_uuid', '=', runId).execute();
    await upsertTags(trx, runId, [{ key: FAIL_REASON_TAG, value: reason }]);
    return toRunInfo({ ...run, status: 'FAILED', end_time: now });
  });
  if (info) deps.control.emit(runId, { event: 'ended', data: { status: 'FAILED' } });
  return info;
}

/** "Mark as failed": for a run that is stuck, by hand. */
export async function failRun(deps: Deps, runId: string, reason: string | undefined): Promise<{ run_info: RunInfo }> {
  checkRunId(runId);
  const text = reason?.trim() ? reason.trim() : 'Marked as failed by hand.';
  return { run_info: (await endAsFailed(deps, runId, text, false))! };
}

/**
 * Launched runs whose launcher went silent for the heartbeat timeout become FAILED, with a
 * tag saying contact was lost: no run stays Running after its process is gone.
 */
export async function failLostRuns(deps: Deps): Promise<number> {
  const timeout = deps.options.heartbeatTimeoutMs;
  const lost = await lostRuns(deps.db.kysely, deps.now() - timeout);
  for (const run of lost) {
    const since = new Date(run.heartbeat_at).toISOString();
    const reason = `Contact with the launcher on ${run.host} was lost: no heartbeat since ${since} (timeout ${Math.round(timeout / 1000)} s).`;
    await endAsFailed(deps, run.run_uuid, reason, true);
  }
  return lost.length;
}
