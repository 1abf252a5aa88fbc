import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { NotifyStatus } from '../../shared/studio/notifications.js';
import type { Database } from './schema.js';

/** A run's status changed from `from` (null: it was just created) to `to`. */
export interface StatusChange {
  runId: string;
  from: string | null;
  to: string;
  at: number;
}

/** The column of notification_rules that says a rule listens for a status. */
export const statusFlag: Record<NotifyStatus, 'on_running' | 'on_finished' | 'on_failed' | 'on_killed'> = {
  RUNNING: 'on_running',
  FINISHED: 'on_finished',
  FAILED: 'on_failed',
  KILLED: 'on_killed',
};

const isNotifyStatus = (status: string): status is NotifyStatus => status in statusFlag;

/**
 * Writes an outbox row for each change some unpaused rule listens for, in the caller's
 * transaction: the change and its event commit together or not at all. With no rule for a
 * status (the usual case) this is one read of the small rules table and nothing is written.
 */
export async function recordStatusChanges(trx: Kysely<Database>, changes: StatusChange[]): Promise<void> {
  const relevant = changes.filter((c) => c.from !== c.to && isNotifyStatus(c.to));
  if (relevant.length === 0) return;
  const listening = await trx
    .selectFrom('notification_rules')
    .select((eb) => [eb.fn.max('on_running').as('on_running'), eb.fn.max('on_finished').as('on_finished'), eb.fn.max('on_failed').as('on_failed'), eb.fn.max('on_killed').as('on_killed')])
    .where('paused', '=', 0)
    .executeTakeFirst();
  const rows = relevant
    .filter((c) => Number(listening?.[statusFlag[c.to as NotifyStatus]] ?? 0) === 1)
    .map((c) => ({ id: randomUUID(), kind: 'status', run_uuid: c.runId, from_status: c.from, to_status: c.to, rule_id: null, dedupe_key: null, data: null, at: c.at }));
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('notification_events').values(rows.slice(i, i + 500)).execute();
}

/** An event for one rule (a stall, a test); a `dedupeKey` already stored makes it a no-op. Returns the event id, or null when it was already there. */
export async function recordRuleEvent(
  trx: Kysely<Database>,
  event: { kind: 'stalled' | 'test'; ruleId: string; runId: string | null; status: string | null; at: number; dedupeKey: string | null; data: unknown },
): Promise<string | null> {
  const id = randomUUID();
  const inserted = await trx
    .insertInto('notification_events')
    .values({ id, kind: event.kind, run_uuid: event.runId, from_status: event.status, to_status: event.status, rule_id: event.ruleId, dedupe_key: event.dedupeKey, data: JSON.stringify(event.data), at: event.at })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 ? id : null;
}

/** Notes that runs showed life (a metric, a log line) at `at`; stalled-run rules read it. */
export async function touchLiveness(trx: Kysely<Database>, runIds: string[], at: number): Promise<void> {
  for (let i = 0; i < runIds.length; i += 500) {
    await trx
      .insertInto('run_liveness')
      .values(runIds.slice(i, i + 500).map((run_uuid) => ({ run_uuid, at })))
      .onConflict((oc) => oc.column('run_uuid').doUpdateSet({ at: sql`excluded.at` }))
      .execute();
  }
}

/**
 * Reports stalls for one rule, in one transaction: each run's stall is noted (so the next scan
 * skips it) and gets an event, unless the rule was paused or removed meanwhile, or another
 * replica reported the same stall first (its key is taken). Returns how many were reported.
 */
export async function recordStalls(trx: Kysely<Database>, rule: { id: string; minutes: number }, stalls: Array<{ runId: string; since: number }>, at: number): Promise<number> {
  const live = await trx.selectFrom('notification_rules').select('id').where('id', '=', rule.id).where('paused', '=', 0).executeTakeFirst();
  if (!live || stalls.length === 0) return 0;
  let reported = 0;
  for (const stall of stalls) {
    await trx
      .insertInto('notification_stalls')
      .values({ rule_id: rule.id, run_uuid: stall.runId, since: stall.since })
      .onConflict((oc) => oc.columns(['rule_id', 'run_uuid']).doUpdateSet({ since: stall.since }))
      .execute();
    const data = { minutes: rule.minutes, lastActivityAt: stall.since };
    const id = await recordRuleEvent(trx, { kind: 'stalled', ruleId: rule.id, runId: stall.runId, status: 'RUNNING', at, dedupeKey: `stalled:${rule.id}:${stall.runId}:${stall.since}`, data });
    if (id) reported += 1;
  }
  return reported;
}

