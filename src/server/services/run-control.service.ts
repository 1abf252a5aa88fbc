import type { z } from 'zod';
import type { attachControlBody, CancelRunResponse, HeartbeatResponse, RunControl } from '../../shared/studio/control.js';
import { FAIL_REASON_TAG } from '../../shared/studio/control.js';
import { isLive } from '../../shared/run-status.js';
import type { RunInfo } from '../../shared/mlflow/types.js';
import { ApiError, notFound } from '../errors.js';
import {
  attachControl,
  cancelDescendants,
  findControl,
  isHeld,
  lostRuns,
  touchHeartbeat,
  toRunControl,
} from '../store/run-control.store.js';
import { findRunRow, findRunRowForStatus, toRunInfo, upsertTags, type RunRow } from '../store/runs.store.js';
import type { Deps } from './deps.js';
import type { Actor } from '../auth/principal.js';
import { insertActivity } from '../store/activity.store.js';
import { recordStatusChanges } from '../store/notify-outbox.store.js';
import { isRunId } from './validation.js';


/** A deleted run is over for its launcher, whatever its status says: heartbeat and stream both say DELETED. */
const statusForLauncher = (run: RunRow) => (run.lifecycle_stage === 'active' ? run.status : 'DELETED');

function checkRunId(runId: string): void {
  if (!isRunId(runId)) throw notFound(`Run with id=${runId} not found`);
}

/** A run Cancel or Mark as failed may act on: active and not over. */
function checkLive(run: RunRow, action: string): void {
  const verb = action === 'cancel' ? 'cancelled' : 'marked as failed';
  if (run.lifecycle_stage !== 'active') throw new ApiError('INVALID_STATE', `Run ${run.run_uuid} is deleted; restore it before it can be ${verb}.`);
  if (!isLive(run.status)) throw new ApiError('INVALID_STATE', `Run ${run.run_uuid} has already ended (${run.status}); only a queued or running run can be ${verb}.`);
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
  }).then((control) => {
    deps.events.publish({ kind: 'updated', runId, fields: ['control'] });
    return control;
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
    return { cancelRequested: live && control.cancel_requested_at !== null, ended: !live, status: statusForLauncher(run) };
  });
}

export async function controlState(deps: Deps, runId: string): Promise<{ control: RunControl; status: string }> {
  checkRunId(runId);
  const run = await findRunRow(deps.db.kysely, runId);
  return { control: toRunControl(await findControl(deps.db.kysely, runId), run.status), status: statusForLauncher(run) };
}

export async function getControl(deps: Deps, runId: string): Promise<RunControl> {
  return (await controlState(deps, runId)).control;
}

/**
 * Cancels a run and its live children. A run a launcher holds gets a cancel request (its
 * launcher stops the process and sets KILLED); any other is set KILLED at once, and its
 * process, if it has one, is not stopped: nothing here can reach it.
 */
export async function cancelRun(deps: Deps, runId: string, actor: Actor | null = null): Promise<CancelRunResponse> {
  checkRunId(runId);
  const now = deps.now();
  const cutoff = now - deps.options.heartbeatTimeoutMs;
  const result = await deps.db.write(async (trx) => {
    const run = await findRunRowForStatus(trx, deps.db.dialect, runId);
    checkLive(run, 'cancel');
    const control = await findControl(trx, runId);
    const held = isHeld(control, now, deps.options.heartbeatTimeoutMs);
    let info: RunInfo;
    if (held) {
      if (control.cancel_requested_at === null) await trx.updateTable('run_control').set({ cancel_requested_at: now }).where('run_uuid', '=', runId).execute();
      info = toRunInfo(run);
    } else {
      await trx.updateTable('runs').set({ status: 'KILLED', end_time: now }).where('run_uuid', '=', runId).execute();
      await recordStatusChanges(trx, [{ runId, from: run.status, to: 'KILLED', at: now }]);
      info = toRunInfo({ ...run, status: 'KILLED', end_time: now });
    }
    const children = await cancelDescendants(trx, runId, now, cutoff);
    if (actor) await insertActivity(trx, [{ runId, at: now, user: actor.name, action: 'cancelled', detail: null }]);
    return { info, held, graceMs: control?.grace_ms ?? 0, children };
  });
  deps.events.publish({ kind: 'status', runId, experimentId: result.info.experiment_id, status: result.info.status, cancelRequested: result.held });
  for (const child of result.children.held) deps.events.publish({ kind: 'status', runId: child, cancelRequested: true });
  for (const child of result.children.killed) deps.events.publish({ kind: 'status', runId: child, status: 'KILLED' });
  if (result.held) deps.control.emit(runId, { event: 'cancel', data: { graceMs: result.graceMs } });
  for (const child of result.children.held) {
    const control = await findControl(deps.db.kysely, child);
    deps.control.emit(child, { event: 'cancel', data: { graceMs: control?.grace_ms ?? 0 } });
  }
  return { run_info: result.info, cancelRequested: result.held, launched: result.held, childrenCancelled: result.children.count };
}

/**
 * Ends a live run with `status` (and a reason in its `runstudio.failReason` tag), and tells
 * its launcher. With `lostBefore`, only if its launcher is still silent since then: a
 * heartbeat that arrived meanwhile keeps the run alive.
 */
async function endRun(deps: Deps, runId: string, end: { status: 'FAILED' | 'KILLED'; reason: string | null; lostBefore?: number; actor?: Actor | null }): Promise<RunInfo | null> {
  const now = deps.now();
  const info = await deps.db.write(async (trx) => {
    const run = await findRunRowForStatus(trx, deps.db.dialect, runId);
    if (end.lostBefore !== undefined) {
      const control = await findControl(trx, runId);
      if (!isLive(run.status) || run.lifecycle_stage !== 'active' || !control || control.heartbeat_at >= end.lostBefore) return null;
    }
    checkLive(run, 'mark as failed');
    await trx.updateTable('runs').set({ status: end.status, end_time: now }).where('run_uuid', '=', runId).execute();
    await recordStatusChanges(trx, [{ runId, from: run.status, to: end.status, at: now }]);
    if (end.reason !== null) await upsertTags(trx, runId, [{ key: FAIL_REASON_TAG, value: end.reason }]);
    if (end.actor) await insertActivity(trx, [{ runId, at: now, user: end.actor.name, action: 'failed', detail: end.reason }]);
    return toRunInfo({ ...run, status: end.status, end_time: now });
  });
  if (info) {
    deps.events.publish({ kind: 'status', runId, experimentId: info.experiment_id, status: end.status });
    deps.control.emit(runId, { event: 'ended', data: { status: end.status } });
  }
  return info;
}

/** "Mark as failed": for a run that is stuck, by hand. */
export async function failRun(deps: Deps, runId: string, reason: string | undefined, actor: Actor | null = null): Promise<{ run_info: RunInfo }> {
  checkRunId(runId);
  const text = reason?.trim() ? reason.trim() : 'Marked as failed by hand.';
  return { run_info: (await endRun(deps, runId, { status: 'FAILED', reason: text, actor }))! };
}

/**
 * Launched runs whose launcher went silent for the heartbeat timeout become FAILED, with a
 * tag saying contact was lost: no run stays Running after its process is gone. One whose
 * cancel was already asked for becomes Canceled: that is what its user wanted.
 */
export async function failLostRuns(deps: Deps): Promise<number> {
  const timeout = deps.options.heartbeatTimeoutMs;
  const cutoff = deps.now() - timeout;
  let ended = 0;
  for (const run of await lostRuns(deps.db.kysely, cutoff)) {
    const since = new Date(run.heartbeat_at).toISOString();
    const reason = `Contact with the launcher on ${run.host} was lost: no heartbeat since ${since} (timeout ${Math.round(timeout / 1000)} s).`;
    const cancelled = run.cancel_requested_at !== null;
    if (await endRun(deps, run.run_uuid, { status: cancelled ? 'KILLED' : 'FAILED', reason: cancelled ? null : reason, lostBefore: cutoff })) ended += 1;
  }
  return ended;
}
