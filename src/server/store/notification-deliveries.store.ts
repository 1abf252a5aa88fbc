import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { notificationType, type Delivery, type DeliveryState, type NotificationRule } from '../../shared/studio/notifications.js';
import type { Db } from './db.js';
import { findRule, type StoredRule } from './notification-rules.store.js';
import type { Database, NotificationDeliveriesTable, NotificationEventsTable } from './schema.js';

/** One row of the outbox: a status change, a stall or a test, to tell rules about. */
export interface OutboxEvent {
  id: string;
  kind: 'status' | 'stalled' | 'test';
  runId: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  /** Stalls and tests are for one rule; status changes for every rule they match. */
  ruleId: string | null;
  data: unknown;
  at: number;
}

function toEvent(row: Selectable<NotificationEventsTable>): OutboxEvent {
  return {
    id: row.id,
    kind: row.kind as OutboxEvent['kind'],
    runId: row.run_uuid,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    ruleId: row.rule_id,
    data: row.data === null ? null : JSON.parse(row.data),
    at: Number(row.at),
  };
}

/** Whether any event waits to be fanned out, or any delivery is due: a cheap read before a write transaction. */
export async function hasWork(db: Kysely<Database>, now: number): Promise<{ events: boolean; deliveries: boolean }> {
  const event = await db.selectFrom('notification_events').select('seq').where('fanned_out', '=', 0).limit(1).executeTakeFirst();
  const delivery = await db.selectFrom('notification_deliveries').select('id').where('state', '=', 'pending').where('next_attempt_at', '<=', now).limit(1).executeTakeFirst();
  return { events: event !== undefined, deliveries: delivery !== undefined };
}

/** Events not yet fanned out, oldest first. */
export async function waitingEvents(db: Kysely<Database>, limit: number): Promise<OutboxEvent[]> {
  const rows = await db.selectFrom('notification_events').selectAll().where('fanned_out', '=', 0).orderBy('seq').limit(limit).execute();
  return rows.map(toEvent);
}

export async function markFannedOut(trx: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length > 0) await trx.updateTable('notification_events').set({ fanned_out: 1 }).where('id', 'in', ids).execute();
}

/** An event for a rule: to send, or (`failed`) already failed for that reason. */
export interface NewDelivery {
  eventId: string;
  ruleId: string;
  failed?: string;
}

/** Pending deliveries, due at `dueAt` (later than now: held for whoever sends it at once); one per event and rule, whoever adds it first. */
export async function insertDeliveries(trx: Kysely<Database>, rows: NewDelivery[], now: number, dueAt = now): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('notification_deliveries')
      .values(
        rows.slice(i, i + 500).map((r) => ({
          id: randomUUID(),
          event_id: r.eventId,
          rule_id: r.ruleId,
          state: r.failed === undefined ? 'pending' : 'failed',
          attempts: 0,
          next_attempt_at: r.failed === undefined ? dueAt : null,
          last_error: r.failed?.slice(0, 1000) ?? null,
          created_at: now,
          sent_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['event_id', 'rule_id']).doNothing())
      .execute();
  }
}

/** A delivery taken by one worker for its `attempt`-th try: its event and rule come with it. */
export interface ClaimedDelivery {
  id: string;
  attempt: number;
  event: OutboxEvent;
  rule: StoredRule;
}

/**
 * Takes up to `limit` due deliveries for this worker: each gets a lease (its next try moves
 * `leaseMs` ahead) and one more attempt, committed before anything is sent, so a replica that
 * dies mid-send leaves it to another once the lease ends. On PostgreSQL rows another replica
 * is claiming are skipped (FOR UPDATE SKIP LOCKED): each delivery goes to one worker. Only
 * those `accept` takes (in order; it counts the worker's slots); a delivery whose rule or event
 * is gone is dropped.
 */
export async function claimDeliveries(
  db: Db,
  now: number,
  leaseMs: number,
  limit: number,
  which: { only?: string; skipRules?: string[]; accept?: (rule: StoredRule) => boolean } = {},
): Promise<ClaimedDelivery[]> {
  const { only, skipRules = [], accept = () => true } = which;
  return db.write(async (trx) => {
    const candidates = await trx
      .selectFrom('notification_deliveries')
      .select(['id', 'attempts', 'event_id', 'rule_id'])
      .where('state', '=', 'pending')
      .$if(only === undefined, (qb) => qb.where('next_attempt_at', '<=', now))
      .$if(only !== undefined, (qb) => qb.where('id', '=', only!))
      .$if(skipRules.length > 0, (qb) => qb.where('rule_id', 'not in', skipRules))
      .orderBy('next_attempt_at')
      .limit(limit)
      .$if(db.dialect === 'postgres', (qb) => qb.forUpdate().skipLocked())
      .execute();
    if (candidates.length === 0) return [];
    const due = candidates;
    const events = await trx.selectFrom('notification_events').selectAll().where('id', 'in', due.map((d) => d.event_id)).execute();
    const eventById = new Map(events.map((e) => [e.id, toEvent(e)]));
    const ruleById = new Map<string, StoredRule>();
    for (const ruleId of new Set(due.map((d) => d.rule_id))) {
      const rule = await findRule(trx, ruleId);
      if (rule) ruleById.set(ruleId, rule);
    }
    const orphans = due.filter((d) => !eventById.has(d.event_id) || !ruleById.has(d.rule_id)).map((d) => d.id);
    if (orphans.length > 0) await trx.deleteFrom('notification_deliveries').where('id', 'in', orphans).execute();
    const claimed = due.filter((d) => !orphans.includes(d.id) && accept(ruleById.get(d.rule_id)!));
    if (claimed.length === 0) return [];
    await trx
      .updateTable('notification_deliveries')
      .set((eb) => ({ next_attempt_at: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', claimed.map((d) => d.id))
      .execute();
    return claimed.map((d) => ({ id: d.id, attempt: d.attempts + 1, event: eventById.get(d.event_id)!, rule: ruleById.get(d.rule_id)! }));
  });
}

/**
 * Records how try `attempt` went: sent, or failed with a next try at `retryAt` (null: no more
 * tries). A try that outlived its lease (another worker has tried since) records nothing.
 */
export async function finishDelivery(db: Db, id: string, attempt: number, outcome: { sentAt: number } | { error: string; retryAt: number | null }): Promise<void> {
  const set =
    'sentAt' in outcome
      ? { state: 'sent', sent_at: outcome.sentAt, next_attempt_at: null, last_error: null }
      : { state: outcome.retryAt === null ? 'failed' : 'pending', next_attempt_at: outcome.retryAt, last_error: outcome.error.slice(0, 1000) };
  await db.write((trx) => trx.updateTable('notification_deliveries').set(set).where('id', '=', id).where('attempts', '=', attempt).where('state', '=', 'pending').execute());
}

type DeliveryRow = Selectable<NotificationDeliveriesTable> & { kind: string; to_status: string | null; run_uuid: string | null };

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    eventId: row.event_id,
    type: notificationType(row.kind, row.to_status),
    runId: row.run_uuid,
    state: row.state as DeliveryState,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
    sentAt: row.sent_at === null ? null : Number(row.sent_at),
  };
}

function deliveriesQuery(db: Kysely<Database>) {
  return db.selectFrom('notification_deliveries as d').innerJoin('notification_events as e', 'e.id', 'd.event_id').selectAll('d').select(['e.kind', 'e.to_status', 'e.run_uuid']);
}

/** A rule's latest deliveries, newest first. */
export async function deliveriesOf(db: Db, ruleId: string, limit: number): Promise<Delivery[]> {
  const rows = await deliveriesQuery(db.kysely).where('d.rule_id', '=', ruleId).orderBy('d.created_at', 'desc').orderBy('d.id').limit(limit).execute();
  return rows.map(toDelivery);
}

export async function findDelivery(db: Kysely<Database>, id: string): Promise<Delivery | undefined> {
  const row = await deliveriesQuery(db).where('d.id', '=', id).executeTakeFirst();
  return row && toDelivery(row);
}

/** How each rule's deliveries stand, and its latest one: two queries however many rules. */
export async function deliverySummaries(db: Db, ruleIds: string[]): Promise<Map<string, NotificationRule['deliveries']>> {
  const summaries = new Map<string, NotificationRule['deliveries']>(ruleIds.map((id) => [id, { pending: 0, sent: 0, failed: 0, last: null }]));
  if (ruleIds.length === 0) return summaries;
  const counts = await db.kysely
    .selectFrom('notification_deliveries')
    .select((eb) => ['rule_id', 'state', eb.fn.countAll<number>().as('n')])
    .where('rule_id', 'in', ruleIds)
    .groupBy(['rule_id', 'state'])
    .execute();
  for (const c of counts) {
    const summary = summaries.get(c.rule_id);
    if (summary && (c.state === 'pending' || c.state === 'sent' || c.state === 'failed')) summary[c.state] = Number(c.n);
  }
  const latest = await sql<DeliveryRow>`SELECT * FROM (
      SELECT d.*, e.kind, e.to_status, e.run_uuid,
        ROW_NUMBER() OVER (PARTITION BY d.rule_id ORDER BY d.created_at DESC, d.id) AS rn
      FROM notification_deliveries d JOIN notification_events e ON e.id = d.event_id
      WHERE d.rule_id IN (${sql.join(ruleIds)})
    ) latest WHERE rn = 1`.execute(db.kysely);
  for (const row of latest.rows) summaries.get(row.rule_id)!.last = toDelivery(row);
  return summaries;
}

/** Drops events and finished deliveries older than `before`, and stall records of runs that are no longer running. */
export async function pruneNotifications(db: Db, before: number): Promise<void> {
  await db.write(async (trx) => {
    await trx.deleteFrom('notification_deliveries').where('state', 'in', ['sent', 'failed']).where('created_at', '<', before).execute();
    await sql`DELETE FROM notification_events WHERE fanned_out = 1 AND at < ${before}
      AND id NOT IN (SELECT event_id FROM notification_deliveries)`.execute(trx);
    await sql`DELETE FROM notification_stalls
      WHERE run_uuid NOT IN (SELECT run_uuid FROM runs WHERE status = 'RUNNING' AND lifecycle_stage = 'active')`.execute(trx);
    await sql`DELETE FROM run_liveness WHERE at < ${before}
      AND run_uuid NOT IN (SELECT run_uuid FROM runs WHERE status IN ('RUNNING', 'SCHEDULED'))`.execute(trx);
  });
}
