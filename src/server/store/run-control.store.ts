import { sql, type Kysely, type Selectable } from 'kysely';
import { isLive, liveStatuses } from '../../shared/run-status.js';
import type { RunControl } from '../../shared/studio/control.js';
import type { Db } from './db.js';
import type { Database, RunControlTable } from './schema.js';
import { recordStatusChanges } from './notify-outbox.store.js';

export type ControlRow = Selectable<RunControlTable>;


/** A launcher takes hold of a run; attaching again (a restarted launcher) keeps a cancel already asked for. */
export async function attachControl(db: Kysely<Database>, runId: string, launcher: { host: string; pid: number; graceMs: number }, now: number): Promise<void> {
  const row = { host: launcher.host, pid: launcher.pid, grace_ms: launcher.graceMs, heartbeat_at: now };
  await db
    .insertInto('run_control')
    .values({ run_uuid: runId, ...row, attached_at: now, cancel_requested_at: null })
    .onConflict((oc) => oc.column('run_uuid').doUpdateSet(row))
    .execute();
}

export async function findControl(db: Kysely<Database>, runId: string): Promise<ControlRow | undefined> {
  return db.selectFrom('run_control').selectAll().where('run_uuid', '=', runId).executeTakeFirst();
}

export async function touchHeartbeat(db: Kysely<Database>, runId: string, now: number): Promise<ControlRow | undefined> {
  await db.updateTable('run_control').set({ heartbeat_at: now }).where('run_uuid', '=', runId).execute();
  return findControl(db, runId);
}

/** Whether a launcher holds the run now: attached, and heard from within the heartbeat timeout. */
export function isHeld(control: ControlRow | undefined, now: number, timeoutMs: number): control is ControlRow {
  return control !== undefined && control.heartbeat_at >= now - timeoutMs;
}

/** The control state the API shows for a run and its status. */
export function toRunControl(control: ControlRow | undefined, status: string): RunControl {
  const live = isLive(status);
  return {
    launched: control !== undefined,
    cancelRequested: live && control?.cancel_requested_at != null,
    cancelRequestedAt: control?.cancel_requested_at ?? null,
    graceMs: control?.grace_ms ?? null,
    host: control?.host ?? null,
    pid: control?.pid ?? null,
    heartbeatAt: control?.heartbeat_at ?? null,
  };
}

/** Control rows of at most one page of runs, for the studio's run lists. */
export async function controlsOf(db: Db, runIds: string[]): Promise<Map<string, ControlRow>> {
  if (runIds.length === 0) return new Map();
  const rows = await db.kysely.selectFrom('run_control').selectAll().where('run_uuid', 'in', runIds).execute();
  return new Map(rows.map((r) => [r.run_uuid, r]));
}

/**
 * A recursive walk over every active run below `runId`, any depth. UNION drops a run found
 * again, so a cycle of parent tags ends the walk instead of repeating it.
 */
function descendants(runId: string) {
  return sql`WITH RECURSIVE tree(run_uuid) AS (
      SELECT run_uuid FROM runs WHERE parent_run_id = ${runId} AND lifecycle_stage = 'active'
      UNION
      SELECT c.run_uuid FROM runs c JOIN tree t ON c.parent_run_id = t.run_uuid
      WHERE c.lifecycle_stage = 'active'
    )`;
}

/**
 * Cancels the live runs below `runId`, in one statement per kind however many there are:
 * runs a launcher holds get a cancel request; the others are set KILLED. Returns the held
 * runs (their launchers are told) and how many runs were cancelled in all.
 */
export async function cancelDescendants(db: Kysely<Database>, runId: string, now: number, cutoff: number): Promise<{ held: string[]; killed: string[]; count: number }> {
  const live = sql.join(liveStatuses.map((s) => sql`${s}`));
  const held = await sql<{ run_uuid: string }>`${descendants(runId)}
    SELECT rc.run_uuid FROM run_control rc JOIN runs r ON r.run_uuid = rc.run_uuid
    WHERE rc.run_uuid IN (SELECT run_uuid FROM tree) AND r.status IN (${live}) AND rc.heartbeat_at >= ${cutoff}`.execute(db);
  const heldIds = held.rows.map((r) => r.run_uuid);
  if (heldIds.length > 0) {
    await db.updateTable('run_control').set({ cancel_requested_at: now }).where('run_uuid', 'in', heldIds).where('cancel_requested_at', 'is', null).execute();
  }
  // Read first: RETURNING gives the new status, and the notifications need the old one.
  const killed = await sql<{ run_uuid: string; status: string }>`${descendants(runId)}
    SELECT run_uuid, status FROM runs
    WHERE run_uuid IN (SELECT run_uuid FROM tree) AND status IN (${live})
      AND run_uuid NOT IN (SELECT run_uuid FROM run_control WHERE heartbeat_at >= ${cutoff})`.execute(db);
  // Only those still live when updated: one that ended in between keeps its end, and is not told as Canceled.
  const was = new Map(killed.rows.map((r) => [r.run_uuid, r.status]));
  const killedIds: string[] = [];
  for (let i = 0; i < killed.rows.length; i += 500) {
    const ids = killed.rows.slice(i, i + 500).map((r) => r.run_uuid);
    const updated = await db.updateTable('runs').set({ status: 'KILLED', end_time: now }).where('run_uuid', 'in', ids).where('status', 'in', [...liveStatuses]).returning('run_uuid').execute();
    killedIds.push(...updated.map((r) => r.run_uuid));
  }
  await recordStatusChanges(db, killedIds.map((runId) => ({ runId, from: was.get(runId)!, to: 'KILLED', at: now })));
  return { held: heldIds, killed: killedIds, count: heldIds.length + killedIds.length };
}

/** Live runs whose launcher has not been heard from since `cutoff`: contact is lost. */
export async function lostRuns(db: Kysely<Database>, cutoff: number): Promise<Array<{ run_uuid: string; host: string; heartbeat_at: number; cancel_requested_at: number | null }>> {
  return db
    .selectFrom('run_control as rc')
    .innerJoin('runs as r', 'r.run_uuid', 'rc.run_uuid')
    .select(['rc.run_uuid', 'rc.host', 'rc.heartbeat_at', 'rc.cancel_requested_at'])
    .where('rc.heartbeat_at', '<', cutoff)
    .where('r.status', 'in', [...liveStatuses])
    .where('r.lifecycle_stage', '=', 'active')
    .limit(1000)
    .execute();
}
