import { sql, type Kysely, type Selectable } from 'kysely';
import type { NotifyStatus, RuleChannel, RuleScope } from '../../shared/studio/notifications.js';
import type { Db } from './db.js';
import { statusFlag } from './notify-outbox.store.js';
import type { Database, NotificationRulesTable } from './schema.js';

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

function readRule(row: Selectable<NotificationRulesTable>): StoredRule {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner,
    scope: JSON.parse(row.scope) as RuleScope,
    events: JSON.parse(row.events) as NotifyStatus[],
    stalledMinutes: row.stalled_minutes === null ? null : Number(row.stalled_minutes),
    channel: JSON.parse(row.channel) as RuleChannel,
    secret: row.secret,
    paused: Number(row.paused) === 1,
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

/**
 * Adds a rule unless its owner has `max` already (answers how many they have then). The count
 * and the insert are one transaction, and on PostgreSQL one owner's adds take turns (an
 * advisory lock on the name), so adds at once cannot pass the limit together.
 */
export async function insertRule(db: Db, rule: StoredRule, max: number): Promise<{ inserted: boolean; owned: number }> {
  return db.write(async (trx) => {
    if (db.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(727002, hashtext(${rule.owner}))`.execute(trx);
    const { n } = await trx.selectFrom('notification_rules').select((eb) => eb.fn.countAll<number>().as('n')).where('owner', '=', rule.owner).executeTakeFirstOrThrow();
    if (Number(n) >= max) return { inserted: false, owned: Number(n) };
    await trx
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
      .execute();
    return { inserted: true, owned: Number(n) + 1 };
  });
}

export async function findRule(db: Kysely<Database>, id: string): Promise<StoredRule | undefined> {
  const row = await db.selectFrom('notification_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return row && readRule(row);
}

/** Every rule, or one owner's, oldest first. */
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

/** Changes a rule; pausing drops what waits to be sent (a paused rule tells nothing, not later either). */
export async function updateRule(db: Db, id: string, changes: { name?: string | undefined; events?: NotifyStatus[] | undefined; stalledMinutes?: number | null | undefined; paused?: boolean | undefined }, now: number): Promise<void> {
  await db.write(async (trx) => {
    await trx
      .updateTable('notification_rules')
      .set({
        updated_at: now,
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.events !== undefined ? { events: JSON.stringify(changes.events), ...flags(changes.events) } : {}),
        ...(changes.stalledMinutes !== undefined ? { stalled_minutes: changes.stalledMinutes } : {}),
        ...(changes.paused !== undefined ? { paused: changes.paused ? 1 : 0 } : {}),
      })
      .where('id', '=', id)
      .execute();
    if (changes.paused === true) await trx.deleteFrom('notification_deliveries').where('rule_id', '=', id).where('state', '=', 'pending').execute();
  });
}

/** Removes rules with their deliveries, stall records and the events only they had. */
async function deleteRules(trx: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('notification_deliveries').where('rule_id', 'in', ids).execute();
  await trx.deleteFrom('notification_events').where('rule_id', 'in', ids).execute();
  await trx.deleteFrom('notification_stalls').where('rule_id', 'in', ids).execute();
  await trx.deleteFrom('notification_rules').where('id', 'in', ids).execute();
}

export async function deleteRule(db: Db, id: string): Promise<void> {
  await db.write((trx) => deleteRules(trx, [id]));
}

/** Removes every rule of a user (a removed user is told nothing more). */
export async function deleteRulesOf(trx: Kysely<Database>, owner: string): Promise<void> {
  const rows = await trx.selectFrom('notification_rules').select('id').where('owner', '=', owner).execute();
  await deleteRules(trx, rows.map((r) => r.id));
}
