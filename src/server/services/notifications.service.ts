import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { runAttributes } from '../../shared/filter/parse.js';
import type { createRuleBody, Delivery, listRulesResponse, NotificationRule, RuleChannel, updateRuleBody } from '../../shared/studio/notifications.js';
import { roleAtLeast } from '../../shared/studio/auth.js';
import type { Principal } from '../auth/principal.js';
import { ApiError, invalidParameter, notFound } from '../errors.js';
import { newWebhookSecret } from '../notify/channels.js';
import { findExperimentRow } from '../store/experiments.store.js';
import * as rules from '../store/notification-rules.store.js';
import * as deliveries from '../store/notification-deliveries.store.js';
import { recordRuleEvent } from '../store/notify-outbox.store.js';
import { findRunRow } from '../store/runs.store.js';
import { findUserById } from '../store/users.store.js';
import type { Deps } from './deps.js';
import { echo, parseFilterOrThrow } from './filters.js';

/** The most rules one user may own. */
export const MAX_RULES_PER_USER = 100;
const DELIVERIES_SHOWN = 50;

const isAdmin = (who: Principal) => roleAtLeast(who.role, 'admin');

async function present(deps: Deps, who: Principal, rules: rules.StoredRule[]): Promise<NotificationRule[]> {
  const summaries = await deliveries.deliverySummaries(deps.db, rules.map((r) => r.id));
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
async function ruleFor(deps: Deps, who: Principal, id: string): Promise<rules.StoredRule> {
  const rule = await rules.findRule(deps.db.kysely, id);
  if (!rule || (rule.owner !== who.name && !isAdmin(who))) throw notFound(`No notification rule with id ${echo(id)}.`);
  return rule;
}

/** The caller's rules (an admin: everyone's), whether the server can send e-mail, and where the caller's own e-mail goes. */
export async function listRules(deps: Deps, who: Principal): Promise<z.output<typeof listRulesResponse>> {
  const visible = await rules.listRules(deps.db, isAdmin(who) ? null : who.name);
  return { rules: await present(deps, who, visible), email: deps.notifier.sendsEmail, ownEmail: await ownEmail(deps, who), anyAddress: isAdmin(who) };
}

/** The caller's account address (set by an admin); none for local mode's one user. */
async function ownEmail(deps: Deps, who: Principal): Promise<string | null> {
  if (who.via === 'local') return null;
  return (await findUserById(deps.db, who.id))?.email ?? null;
}

/**
 * Whether the caller may send through `channel`. A webhook makes the server post run data to
 * any address it reaches, and an e-mail to any address would make the operator's SMTP server
 * a relay: admins may do both; everyone else sends e-mail to their own account address only.
 */
async function checkChannel(deps: Deps, who: Principal, channel: RuleChannel): Promise<void> {
  if (channel.kind === 'webhook') {
    if (!isAdmin(who)) throw new ApiError('PERMISSION_DENIED', 'Only admins add or test webhooks: a webhook makes the server send run data to any address. Use an e-mail rule, or ask an admin.');
    return;
  }
  if (!deps.notifier.sendsEmail) throw invalidParameter('channel: this server sends no e-mail; its operator starts it with --smtp-url (and --mail-from) to allow e-mail rules.');
  if (isAdmin(who)) return;
  const own = await ownEmail(deps, who);
  if (own === null) throw invalidParameter('channel.to: your account has no e-mail address yet; an admin sets it (the Admin page, or runstudio users set-email).');
  if (channel.to.toLowerCase() !== own.toLowerCase()) throw new ApiError('PERMISSION_DENIED', `channel.to: your rules send to your own address (${own}); only admins send to other addresses.`);
}

async function checkScope(deps: Deps, scope: rules.StoredRule['scope']): Promise<void> {
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
  await checkChannel(deps, who, body.channel);
  await checkScope(deps, body.scope);
  const now = deps.now();
  const secret = body.channel.kind === 'webhook' ? newWebhookSecret() : null;
  const rule: rules.StoredRule = {
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
  const { inserted, owned } = await rules.insertRule(deps.db, rule, MAX_RULES_PER_USER);
  if (!inserted) throw invalidParameter(`You have ${owned} notification rules, the most one user may have (${MAX_RULES_PER_USER}); delete one first.`);
  const [presented] = await present(deps, who, [rule]);
  return { rule: presented!, secret };
}

/** Changes a rule. One its owner may no longer send through (a demoted admin's webhook) may still be paused or deleted, nothing else. */
export async function updateRule(deps: Deps, who: Principal, id: string, body: z.output<typeof updateRuleBody>): Promise<NotificationRule> {
  const rule = await ruleFor(deps, who, id);
  const onlyPausing = body.paused === true && Object.values({ ...body, paused: undefined }).every((v) => v === undefined);
  if (!onlyPausing) await checkChannel(deps, who, rule.channel);
  const events = body.events ?? rule.events;
  const stalled = body.stalledMinutes === undefined ? rule.stalledMinutes : body.stalledMinutes;
  if (events.length === 0 && stalled === null) throw invalidParameter('events: a rule needs at least one event or stalledMinutes.');
  await rules.updateRule(deps.db, id, body, deps.now());
  const [presented] = await present(deps, who, [(await rules.findRule(deps.db.kysely, id))!]);
  return presented!;
}

export async function deleteRule(deps: Deps, who: Principal, id: string): Promise<void> {
  await ruleFor(deps, who, id);
  await rules.deleteRule(deps.db, id);
}

/** "Send a test": a test event through the rule's channel now, paused or not; answers with how it went (kept among the deliveries). */
export async function testRule(deps: Deps, who: Principal, id: string): Promise<Delivery> {
  const rule = await ruleFor(deps, who, id);
  await checkChannel(deps, who, rule.channel);
  const now = deps.now();
  deps.notifier.tests.take(who.id, now);
  const deliveryId = await deps.db.write(async (trx) => {
    const eventId = (await recordRuleEvent(trx, { kind: 'test', ruleId: rule.id, runId: null, status: null, at: now, dedupeKey: null, data: null }))!;
    await deliveries.markFannedOut(trx, [eventId]);
    // Due only later: this request sends it, not a worker that happens to look first.
    await deliveries.insertDeliveries(trx, [{ eventId, ruleId: rule.id }], now, now + 3600_000);
    return (await trx.selectFrom('notification_deliveries').select('id').where('event_id', '=', eventId).executeTakeFirstOrThrow()).id;
  });
  await deps.notifier.deliverNow(deliveryId, { test: true });
  return (await deliveries.findDelivery(deps.db.kysely, deliveryId))!;
}

export async function ruleDeliveries(deps: Deps, who: Principal, id: string): Promise<{ deliveries: Delivery[] }> {
  await ruleFor(deps, who, id);
  return { deliveries: await deliveries.deliveriesOf(deps.db, id, DELIVERIES_SHOWN) };
}
