import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Delivery, DeliveryState, NotificationRule, NotifyStatus, RuleChannel, RuleScope } from '../../shared/studio/notifications.js';
import type { Db } from './db.js';
import { statusFlag } from './notify-outbox.store.js';
import type { Database, NotificationDeliveriesTable, NotificationEventsTable, NotificationRulesTable } from './schema.js';

export type RuleRow = Selectable<NotificationRulesTable>;
export type EventRow = Selectable<NotificationEventsTable>;
type DeliveryRow = Selectable<NotificationDeliveriesTable>;

/** A rule as stored, its JSON columns read. */
export interface StoredRule {
  id: string;
  name: string;
  owner: string;
  scope: RuleScope;
  events: NotifyStatus[];
  stalledMinutes: number | null;
  channel: RuleChannel;
  secret: string | null;
  paused: boolean;
  createdAt: number;
  updatedAt: number;
}

export function readRule(row: RuleRow): StoredRule {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner,
    scope: JSON.parse(row.scope) as RuleScope,
    events: JSON.parse(row.events) as NotifyStatus[],
    stalledMinutes: row.stalled_minutes,
    channel: JSON.parse(row.channel) as RuleChannel,
    secret: row.secret,
    paused: row.paused === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const flags = (events: NotifyStatus[]) => ({
  on_running: events.includes('RUNNING') ? 1 : 0,
  on_finished: events.includes('FINISHED') ? 1 : 0,
  on_failed: events.includes('FAILED') ? 1 : 0,
  on_killed: events.includes('KILLED') ? 1 : 0,
});

export async function insertRule(db: Db, rule: StoredRule): Promise<void> {
  await db.write((trx) =>
    trx
      .insertInto('notification_rules')
      .values({
        id: rule.id,
        name: rule.name,
        owner: rule.owner,
        scope: JSON.stringify(rule.scope),
        events: JSON.stringify(rule.events),
        ...flags(rule.events),
        stalled_minutes: rule.stalledMinutes,
        channel: JSON.stringify(rule.channel),
        secret: rule.secret,
        paused: rule.paused ? 1 : 0,
        created_at: rule.createdAt,
        updated_at: rule.updatedAt,
      })
      .execute(),
  );
}

export async function findRule(db: Kysely<Database>, id: string): Promise<StoredRule | undefined> {
  const row = await db.selectFrom('notification_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return row && readRule(row);
}

/** Every rule, or one owner's, by name. */
export async function listRules(db: Db, owner: string | null): Promise<StoredRule[]> {
  const rows = await db.kysely
    .selectFrom('notification_rules')
    .selectAll()
    .$if(owner !== null, (qb) => qb.where('owner', '=', owner!))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(readRule);
}

export async function updateRule(db: Db, id: string, changes: { name?: string | undefined; events?: NotifyStatus[] | undefined; stalledMinutes?: number | null | undefined; paused?: boolean | undefined }, now: number): Promise<void> {
  await db.write((trx) =>
    trx
      .updateTable('notification_rules')
      .set({
        updated_at: now,
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.events !== undefined ? { events: JSON.stringify(changes.events), ...flags(changes.events) } : {}),
        ...(changes.stalledMinutes !== undefined ? { stalled_minutes: changes.stalledMinutes } : {}),
        ...(changes.paused !== undefined ? { paused: changes.paused ? 1 : 0 } : {}),
      })
      .where('id', '=', id)
      .execute(),
  );
}

/** Removes a rule with its deliveries and the events that were only for it. */
export async function deleteRule(db: Db, id: string): Promise<void> {
  await db.write(async (trx) => {
    await trx.deleteFrom('notification_deliveries').where('rule_id', '=', id).execute();
    await trx.deleteFrom('notification_events').where('rule_id', '=', id).execute();
    await trx.deleteFrom('notification_rules').where('id', '=', id).execute();
  });
}

/** Removes every rule of a user (a removed user is told nothing more). */
export async function deleteRulesOf(trx: Kysely<Database>, owner: string): Promise<void> {
  const ids = (await trx.selectFrom('notification_rules').select('id').where('owner', '=', owner).execute()).map((r) => r.id);
  if (ids.length === 0) return;
  await trx.deleteFrom('notification_deliveries').where('rule_id', 'in', ids).execute();
  await trx.deleteFrom('notification_events').where('rule_id', 'in', ids).execute();
  await trx.deleteFrom('notification_rules').where('id', 'in', ids).execute();
}

function toDelivery(row: DeliveryRow & { type: string; run_uuid: string | null }): Delivery {
  return {
    id: row.id,
    eventId: row.event_id,
    type: row.type,
    runId: row.run_uuid,
    state: row.state as DeliveryState,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
    sentAt: row.sent_at === null ? null : Number(row.sent_at),
  };
}

/** What the webhook and the page call an event: `run.failed`, `run.stalled`, `test`. */
export function eventType(kind: string, status: string | null): string {
  if (kind === 'test') return 'test';
  if (kind === 'stalled') return 'run.stalled';
  const words: Record<string, string> = { RUNNING: 'running', FINISHED: 'completed', FAILED: 'failed', KILLED: 'canceled' };
  return `run.${words[status ?? ''] ?? String(status).toLowerCase()}`;
}

function deliveriesQuery(db: Kysely<Database>) {
  return db
    .selectFrom('notification_deliveries as d')
    .innerJoin('notification_events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select(['e.kind', 'e.to_status', 'e.run_uuid']);
}

/** A rule's latest deliveries, newest first. */
export async function deliveriesOf(db: Db, ruleId: string, limit: number): Promise<Delivery[]> {
  const rows = await deliveriesQuery(db.kysely).where('d.rule_id', '=', ruleId).orderBy('d.created_at', 'desc').orderBy('d.id').limit(limit).execute();
  return rows.map((r) => toDelivery({ ...r, type: eventType(r.kind, r.to_status) }));
}

export async function findDelivery(db: Kysely<Database>, id: string): Promise<Delivery | undefined> {
  const row = await deliveriesQuery(db).where('d.id', '=', id).executeTakeFirst();
  return row && toDelivery({ ...row, type: eventType(row.kind, row.to_status) });
}

/** How each rule's deliveries stand, and its latest one. */
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
  for (const id of ruleIds) {
    const [last] = await deliveriesOf(db, id, 1);
    summaries.get(id)!.last = last ?? null;
  }
  return summaries;
}

/** Whether any event waits to be fanned out, or any delivery is due: a cheap read before a write transaction. */
export async function hasWork(db: Kysely<Database>, now: number): Promise<{ events: boolean; deliveries: boolean }> {
  const event = await db.selectFrom('notification_events').select('seq').where('fanned_out', '=', 0).limit(1).executeTakeFirst();
  const delivery = await db.selectFrom('notification_deliveries').select('id').where('state', '=', 'pending').where('next_attempt_at', '<=', now).limit(1).executeTakeFirst();
  return { events: event !== undefined, deliveries: delivery !== undefined };
}

/** Events not yet fanned out, oldest first. */
export async function waitingEvents(db: Kysely<Database>, limit: number): Promise<EventRow[]> {
  return db.selectFrom('notification_events').selectAll().where('fanned_out', '=', 0).orderBy('seq').limit(limit).execute();
}

export async function markFannedOut(trx: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length > 0) await trx.updateTable('notification_events').set({ fanned_out: 1 }).where('id', 'in', ids).execute();
}

/** Unpaused rules listening for a status, or with a stall time. */
export async function activeRules(db: Kysely<Database>, status: NotifyStatus | 'stalled'): Promise<StoredRule[]> {
  const rows = await db
    .selectFrom('notification_rules')
    .selectAll()
    .where('paused', '=', 0)
    .$if(status !== 'stalled', (qb) => qb.where(statusFlag[status as NotifyStatus], '=', 1))
    .$if(status === 'stalled', (qb) => qb.where('stalled_minutes', 'is not', null))
    .execute();
  return rows.map(readRule);
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

/** A delivery taken by one worker: its event and rule come with it. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  event: EventRow;
  rule: StoredRule;
}

/**
 * Takes up to `limit` due deliveries for this worker: each gets a lease (its next try moves
 * `leaseMs` ahead) and one more attempt, committed before anything is sent, so a replica that
 * dies mid-send leaves it to another once the lease ends. On PostgreSQL rows another replica
 * is claiming are skipped (FOR UPDATE SKIP LOCKED): each delivery goes to one worker.
 */
export async function claimDeliveries(
  db: Db,
  now: number,
  leaseMs: number,
  limit: number,
  which: { only?: string; skipRules?: string[]; roomFor?: (ruleId: string) => number } = {},
): Promise<ClaimedDelivery[]> {
  const { only, skipRules = [], roomFor = () => Infinity } = which;
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
    // No more of one rule than it has room for: the rest stay due for the next round.
    const taken = new Map<string, number>();
    const due = candidates.filter((d) => {
      const n = taken.get(d.rule_id) ?? 0;
      if (n >= roomFor(d.rule_id)) return false;
      taken.set(d.rule_id, n + 1);
      return true;
    });
    if (due.length === 0) return [];
    const ids = due.map((d) => d.id);
    await trx
      .updateTable('notification_deliveries')
      .set((eb) => ({ next_attempt_at: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', ids)
      .execute();
    const events = await trx.selectFrom('notification_events').selectAll().where('id', 'in', due.map((d) => d.event_id)).execute();
    const rules = await trx.selectFrom('notification_rules').selectAll().where('id', 'in', due.map((d) => d.rule_id)).execute();
    const eventById = new Map(events.map((e) => [e.id, e]));
    const ruleById = new Map(rules.map((r) => [r.id, readRule(r)]));
    return due.flatMap((d) => {
      const event = eventById.get(d.event_id);
      const rule = ruleById.get(d.rule_id);
      return event && rule ? [{ id: d.id, attempts: d.attempts + 1, event, rule }] : [];
    });
  });
}

/** Records how a try went: sent, or failed with a next try at `retryAt` (null: no more tries). */
export async function finishDelivery(db: Db, id: string, outcome: { sentAt: number } | { error: string; retryAt: number | null }): Promise<void> {
  const set =
    'sentAt' in outcome
      ? { state: 'sent', sent_at: outcome.sentAt, next_attempt_at: null, last_error: null }
      : { state: outcome.retryAt === null ? 'failed' : 'pending', next_attempt_at: outcome.retryAt, last_error: outcome.error.slice(0, 1000) };
  await db.write((trx) => trx.updateTable('notification_deliveries').set(set).where('id', '=', id).execute());
}

/** Drops events and finished deliveries older than `before`. */
export async function pruneNotifications(db: Db, before: number): Promise<void> {
  await db.write(async (trx) => {
    await trx.deleteFrom('notification_deliveries').where('state', 'in', ['sent', 'failed']).where('created_at', '<', before).execute();
    await sql`DELETE FROM notification_events WHERE fanned_out = 1 AND at < ${before}
      AND id NOT IN (SELECT event_id FROM notification_deliveries)`.execute(trx);
    await sql`DELETE FROM run_liveness WHERE at < ${before}
      AND run_uuid NOT IN (SELECT run_uuid FROM runs WHERE status IN ('RUNNING', 'SCHEDULED'))`.execute(trx);
  });
}
