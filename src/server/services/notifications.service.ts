import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { runAttributes } from '../../shared/filter/parse.js';
import type { createRuleBody, Delivery, NotificationRule, updateRuleBody } from '../../shared/studio/notifications.js';
import { roleAtLeast } from '../../shared/studio/auth.js';
import type { Principal } from '../auth/principal.js';
import { ApiError, invalidParameter, notFound } from '../errors.js';
import { newWebhookSecret } from '../notify/channels.js';
import { findExperimentRow } from '../store/experiments.store.js';
import * as store from '../store/notifications.store.js';
import { recordRuleEvent } from '../store/notify-outbox.store.js';
import { findRunRow } from '../store/runs.store.js';
import type { Deps } from './deps.js';
import { echo, parseFilterOrThrow } from './filters.js';

/** The most rules one user may own. */
export const MAX_RULES_PER_USER = 100;
const DELIVERIES_SHOWN = 50;

const isAdmin = (who: Principal) => roleAtLeast(who.role, 'admin');

async function present(deps: Deps, who: Principal, rules: store.StoredRule[]): Promise<NotificationRule[]> {
  const summaries = await store.deliverySummaries(deps.db, rules.map((r) => r.id));
  return rules.map((r) => ({
    id: r.id,
    name: r.name,
    owner: r.owner,
    mine: r.owner === who.name,
    scope: r.scope,
    events: r.events,
    stalledMinutes: r.stalledMinutes,
    channel: r.channel,
    paused: r.paused,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    deliveries: summaries.get(r.id)!,
  }));
}

/** A rule its caller may see and change: their own, or any for an admin. Others' are not found, as if absent. */
async function ruleFor(deps: Deps, who: Principal, id: string): Promise<store.StoredRule> {
  const rule = await store.findRule(deps.db.kysely, id);
  if (!rule || (rule.owner !== who.name && !isAdmin(who))) throw notFound(`No notification rule with id ${echo(id)}.`);
  return rule;
}

/** The caller's rules (an admin: everyone's), and whether the server can send e-mail. */
export async function listRules(deps: Deps, who: Principal): Promise<{ rules: NotificationRule[]; email: boolean }> {
  const rules = await store.listRules(deps.db, isAdmin(who) ? null : who.name);
  return { rules: await present(deps, who, rules), email: deps.notifier.mailer !== null };
}

async function checkScope(deps: Deps, scope: store.StoredRule['scope']): Promise<void> {
  if (scope.kind === 'filter') {
    try {
      parseFilterOrThrow(scope.filter, runAttributes);
    } catch (error) {
      if (error instanceof ApiError) throw invalidParameter(`scope.filter: ${error.message}`);
      throw error;
    }
  }
  const experimentId = scope.kind === 'experiment' ? scope.experimentId : scope.kind === 'filter' ? scope.experimentId : null;
  if (experimentId !== null) await findExperimentRow(deps.db.kysely, experimentId);
  if (scope.kind === 'run') await findRunRow(deps.db.kysely, scope.runId);
}

/**
 * A new rule owned by its caller. Anyone signed in may have e-mail rules; a webhook makes the
 * server post run data to any address it can reach, so only admins add one. A webhook's
 * signing secret is made here and shown once.
 */
export async function createRule(deps: Deps, who: Principal, body: z.output<typeof createRuleBody>): Promise<{ rule: NotificationRule; secret: string | null }> {
  if (body.channel.kind === 'webhook' && !isAdmin(who)) {
    throw new ApiError('PERMISSION_DENIED', 'Only admins add webhooks: a webhook makes the server send run data to any address. Use an e-mail rule, or ask an admin.');
  }
  if (body.channel.kind === 'email' && deps.notifier.mailer === null) {
    throw invalidParameter('channel: this server sends no e-mail; its operator starts it with --smtp-url (and --mail-from) to allow e-mail rules.');
  }
  await checkScope(deps, body.scope);
  const owned = await store.listRules(deps.db, who.name);
  if (owned.length >= MAX_RULES_PER_USER) throw invalidParameter(`You have ${owned.length} notification rules, the most one user may have (${MAX_RULES_PER_USER}); delete one first.`);
  const now = deps.now();
  const secret = body.channel.kind === 'webhook' ? newWebhookSecret() : null;
  const rule: store.StoredRule = {
    id: randomUUID(),
    name: body.name,
    owner: who.name,
    scope: body.scope,
    events: body.events,
    stalledMinutes: body.stalledMinutes,
    channel: body.channel,
    secret,
    paused: false,
    createdAt: now,
    updatedAt: now,
  };
  await store.insertRule(deps.db, rule);
  const [presented] = await present(deps, who, [rule]);
  return { rule: presented!, secret };
}

export async function updateRule(deps: Deps, who: Principal, id: string, body: z.output<typeof updateRuleBody>): Promise<NotificationRule> {
  const rule = await ruleFor(deps, who, id);
  const events = body.events ?? rule.events;
  const stalled = body.stalledMinutes === undefined ? rule.stalledMinutes : body.stalledMinutes;
  if (events.length === 0 && stalled === null) throw invalidParameter('events: a rule needs at least one event or stalledMinutes.');
  await store.updateRule(deps.db, id, body, deps.now());
  const [presented] = await present(deps, who, [(await store.findRule(deps.db.kysely, id))!]);
  return presented!;
}

export async function deleteRule(deps: Deps, who: Principal, id: string): Promise<void> {
  await ruleFor(deps, who, id);
  await store.deleteRule(deps.db, id);
}

/** "Send a test": a test event through the rule's channel now, paused or not; answers with how it went (kept among the deliveries). */
export async function testRule(deps: Deps, who: Principal, id: string): Promise<Delivery> {
  const rule = await ruleFor(deps, who, id);
  const now = deps.now();
  const deliveryId = await deps.db.write(async (trx) => {
    const eventId = (await recordRuleEvent(trx, { kind: 'test', ruleId: rule.id, runId: null, status: null, at: now, dedupeKey: null, data: null }))!;
    await store.markFannedOut(trx, [eventId]);
    // Due only later: this request sends it, not a worker that happens to look first.
    await store.insertDeliveries(trx, [{ eventId, ruleId: rule.id }], now, now + 3600_000);
    return (await trx.selectFrom('notification_deliveries').select('id').where('event_id', '=', eventId).executeTakeFirstOrThrow()).id;
  });
  await deps.notifier.deliverNow(deliveryId, { test: true });
  return (await store.findDelivery(deps.db.kysely, deliveryId))!;
}

export async function ruleDeliveries(deps: Deps, who: Principal, id: string): Promise<{ deliveries: Delivery[] }> {
  await ruleFor(deps, who, id);
  return { deliveries: await store.deliveriesOf(deps.db, id, DELIVERIES_SHOWN) };
}
