import { z } from 'zod';
import { emailAddress } from './auth.js';

/**
 * Notification rules: which runs, which events, which channel. A rule belongs to the user who
 * made it; anyone signed in keeps e-mail rules of their own, admins see and change every rule
 * and alone may post to webhooks (a server-side request to any address).
 */

/** The statuses a rule can be told about, in the studio's words (run-status.ts). */
export const notifyStatuses = ['RUNNING', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type NotifyStatus = (typeof notifyStatuses)[number];

/** The most minutes a run may stay silent before a rule calls it stalled (a week). */
export const MAX_STALLED_MINUTES = 7 * 24 * 60;
/** The longest MLflow filter a rule may hold. */
export const MAX_RULE_FILTER_CHARS = 4000;

const experimentId = z.string().regex(/^\d{1,18}$/, 'experimentId is an experiment id (digits)');

/** Which runs a rule watches. `mine`: runs whose submitter is the rule's owner. */
export const ruleScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('experiment'), experimentId }),
  z.object({
    kind: z.literal('filter'),
    /** An MLflow search filter (`metrics.loss > 1 and tags.team = 'nlp'`), checked when the rule is saved. */
    filter: z.string().trim().min(1, 'filter must not be empty').max(MAX_RULE_FILTER_CHARS, `filter is at most ${MAX_RULE_FILTER_CHARS} characters`),
    /** Only runs of this experiment; null: any. */
    experimentId: experimentId.nullable().optional().default(null),
  }),
  z.object({ kind: z.literal('mine') }),
  z.object({ kind: z.literal('run'), runId: z.string().regex(/^[0-9a-f]{32}$/, 'runId is a run id (32 hex digits)') }),
]);
export type RuleScope = z.output<typeof ruleScopeSchema>;

/** Where a rule sends: an e-mail address, or a webhook (JSON, or a Slack-compatible `text` body). */
export const ruleChannelSchema = z.discriminatedUnion('kind', [
  /** Anyone's rules send to their own account address (set by an admin); admins' to any. */
  z.object({ kind: z.literal('email'), to: emailAddress }),
  z.object({
    kind: z.literal('webhook'),
    url: z
      .string()
      .trim()
      .max(2000, 'url is at most 2000 characters')
      .pipe(z.url({ protocol: /^https?$/, message: 'url is an http:// or https:// address' })),
    format: z.enum(['json', 'slack']).optional().default('json'),
  }),
]);
export type RuleChannel = z.output<typeof ruleChannelSchema>;

const ruleName = z.string().trim().min(1, 'a rule needs a name').max(200, 'name is at most 200 characters');
const events = z.array(z.enum(notifyStatuses)).max(notifyStatuses.length).refine((e) => new Set(e).size === e.length, { message: 'events are listed once each' });
const stalledMinutes = z.number().int().min(1, 'stalledMinutes is at least 1').max(MAX_STALLED_MINUTES, `stalledMinutes is at most ${MAX_STALLED_MINUTES}`).nullable();

export const createRuleBody = z
  .object({
    name: ruleName,
    scope: ruleScopeSchema,
    events: events.optional().default([]),
    /** Tell when a Running run logs no metric or log line and sends no heartbeat for this many minutes; null: never. */
    stalledMinutes: stalledMinutes.optional().default(null),
    channel: ruleChannelSchema,
  })
  .refine((r) => r.events.length > 0 || r.stalledMinutes !== null, { message: 'a rule needs at least one event or stalledMinutes', path: ['events'] });

export const updateRuleBody = z.object({
  name: ruleName.optional(),
  events: events.optional(),
  stalledMinutes: stalledMinutes.optional(),
  paused: z.boolean().optional(),
});

export const ruleParams = z.object({ id: z.string().max(64) });

/** What the webhook and the page call an event: `run.failed`, `run.stalled`, `test`. */
export function notificationType(kind: string, status: string | null): string {
  if (kind === 'test') return 'test';
  if (kind === 'stalled') return 'run.stalled';
  const words: Record<string, string> = { RUNNING: 'running', FINISHED: 'completed', FAILED: 'failed', KILLED: 'canceled' };
  return `run.${words[status ?? ''] ?? String(status).toLowerCase()}`;
}

export const deliveryStates = ['pending', 'sent', 'failed'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/** One event sent (or being sent) to one rule's channel. */
export const deliverySchema = z.object({
  id: z.string(),
  /** The event's id (one event reaches every rule it matches). `id` is the same on every try: the `webhook-id` a receiver drops a repeat by. */
  eventId: z.string(),
  type: z.string(),
  runId: z.string().nullable(),
  state: z.enum(deliveryStates),
  attempts: z.number().int(),
  /** Why the last try failed; null once sent. */
  lastError: z.string().nullable(),
  createdAt: z.number(),
  /** When the next try is due (pending). */
  nextAttemptAt: z.number().nullable(),
  sentAt: z.number().nullable(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const ruleSchema = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string(),
  /** Whether the person asking owns it. */
  mine: z.boolean(),
  scope: ruleScopeSchema,
  events: z.array(z.enum(notifyStatuses)),
  stalledMinutes: z.number().nullable(),
  channel: ruleChannelSchema,
  paused: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** How its deliveries stand, and the latest one. */
  deliveries: z.object({ pending: z.number(), sent: z.number(), failed: z.number(), last: deliverySchema.nullable() }),
});
export type NotificationRule = z.infer<typeof ruleSchema>;

export const listRulesResponse = z.object({
  rules: z.array(ruleSchema),
  /** Whether the server can send e-mail (`--smtp-url`). */
  email: z.boolean(),
  /** The caller's own account address: where their e-mail rules go (null: an admin has not set one). */
  ownEmail: z.string().nullable(),
  /** Whether the caller may send to any address and add webhooks (admins). */
  anyAddress: z.boolean(),
});

/** A new rule; a webhook's signing secret (`whsec_…`) is shown here once. */
export const createdRuleSchema = z.object({ rule: ruleSchema, secret: z.string().nullable() });

export const deliveriesResponse = z.object({ deliveries: z.array(deliverySchema) });

/** The webhook body (`format: json`): the same facts as the e-mail. */
export const webhookPayloadSchema = z.object({
  /** This message's id, the same on every try (the `webhook-id` header): drop a repeat by it. */
  id: z.string(),
  /** The event's id: the same for every rule the event reached. */
  eventId: z.string(),
  /** `run.running`, `run.completed`, `run.failed`, `run.canceled`, `run.stalled`, or `test`. */
  type: z.string(),
  occurredAt: z.string(),
  rule: z.object({ id: z.string(), name: z.string() }),
  run: z
    .object({
      id: z.string(),
      name: z.string(),
      experimentId: z.string(),
      experimentName: z.string(),
      status: z.string(),
      statusLabel: z.string(),
      previousStatus: z.string().nullable(),
      startTime: z.number(),
      endTime: z.number().nullable(),
      durationMs: z.number().nullable(),
      submitter: z.string(),
      url: z.string(),
    })
    .nullable(),
  /** `run.stalled`: how long it has been silent. */
  stalled: z.object({ minutes: z.number(), lastActivityAt: z.number() }).nullable(),
  /** The last lines of a failed run's log. */
  logTail: z.array(z.string()).nullable(),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
