import type { LogBlobs } from '../blobs/blob-stores.js';
import type { RunEventBus } from '../events/run-event-bus.js';
import type { ServerOptions } from '../options.js';
import type { Db } from '../store/db.js';
import {
  claimDeliveries,
  finishDelivery,
  hasWork,
  insertDeliveries,
  markFannedOut,
  pruneNotifications,
  waitingEvents,
  type ClaimedDelivery,
  type NewDelivery,
  type OutboxEvent,
} from '../store/notification-deliveries.store.js';
import { activeRules, type StoredRule } from '../store/notification-rules.store.js';
import { recordStalls } from '../store/notify-outbox.store.js';
import { runsInScope, stalledRuns } from '../store/rule-scope.sql.js';
import type { NotifyStatus } from '../../shared/studio/notifications.js';
import { failureText, Mailer, postWebhook } from './channels.js';
import { describeEvent, emailOf, slackOf } from './content.js';
import { SendSlots } from './send-slots.js';
import { TestLimit } from './test-limit.js';

const FAN_OUT_BATCH = 100;
/** Sends at once per replica, per rule and per receiving host (or the SMTP server): see SendSlots. */
const MAX_IN_FLIGHT = 16;
const MAX_IN_FLIGHT_PER_RULE = 4;
const MAX_IN_FLIGHT_PER_DESTINATION = 4;
const STALLS_PER_RULE = 100;
/** Events and finished deliveries are kept this long, for the rules page. */
const RETAIN_MS = 30 * 24 * 3600 * 1000;

type Log = (level: 'error' | 'warn', msg: string, fields: Record<string, unknown>) => void;

const defaultLog: Log = (level, msg, fields) => console.error(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));

/**
 * The notification worker of one replica. Status changes leave an outbox row in their own
 * transaction; the worker fans each out to the rules it matches (one delivery per rule, unique
 * per event and rule), then sends the due deliveries with retries and backoff. Every replica
 * runs one: on PostgreSQL rows are claimed FOR UPDATE SKIP LOCKED, so each event is fanned out
 * and each delivery sent by one of them; a replica that dies mid-send leaves its claim to
 * expire and another sends it (receivers drop a repeat by its event id).
 */
export class Notifier {
  private readonly mailer: Mailer | null;
  /** "Send a test" per user and minute. */
  readonly tests = new TestLimit();
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private unsubscribe: (() => void) | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly chores = new Map<string, Promise<unknown>>();
  private readonly slots = new SendSlots(MAX_IN_FLIGHT, MAX_IN_FLIGHT_PER_RULE, MAX_IN_FLIGHT_PER_DESTINATION);

  constructor(
    private readonly db: Db,
    private readonly logs: LogBlobs,
    private readonly options: ServerOptions,
    private readonly now: () => number,
    private readonly log: Log = defaultLog,
  ) {
    this.mailer = options.smtpUrl ? new Mailer(options.smtpUrl, options.mailFrom, options.notifySendTimeoutMs) : null;
  }

  /** Whether this server can send e-mail (`--smtp-url`). */
  get sendsEmail(): boolean {
    return this.mailer !== null;
  }

  /** Works through what is waiting (also what a stopped server left), then on every status event and every `notifyPollMs`. */
  start(events: RunEventBus): void {
    if (!this.options.notifications) return;
    // A status change on any replica reaches every replica's bus: work at once rather than at the next poll.
    this.unsubscribe = events.subscribe((stored) => {
      if (stored.some((s) => s.type === 'run' && (s.event.kind === 'status' || s.event.kind === 'created'))) this.poke();
    });
    this.timers.push(setInterval(() => this.poke(), this.options.notifyPollMs).unref());
    this.timers.push(setInterval(() => this.chore('stall scan', () => this.scanStalls()), this.options.notifyStallScanMs).unref());
    this.timers.push(setInterval(() => this.chore('notification prune', () => pruneNotifications(this.db, this.now() - RETAIN_MS)), 3600_000).unref());
    this.poke();
  }

  /** A periodic job: one at a time, its failure logged, and awaited by close(). */
  private chore(what: string, job: () => Promise<unknown>): void {
    if (this.closed || this.chores.has(what)) return;
    const running = job()
      .catch((e: unknown) => this.log('error', `${what} failed`, { error: failureText(e) }))
      .finally(() => this.chores.delete(what));
    this.chores.set(what, running);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.unsubscribe?.();
    await Promise.all(this.chores.values());
    await this.running;
    await Promise.all(this.inFlight);
    this.mailer?.close();
  }

  /** Work now (coalesced: a call while working makes one more round). */
  poke(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.work().finally(() => {
      this.running = null;
      if (this.again && !this.closed) {
        this.again = false;
        this.poke();
      }
    });
  }

  /** Resolves once what is waiting now has been fanned out and tried (tests and "Send a test" await it). */
  async settle(): Promise<void> {
    const idle = async () => {
      while (this.running || this.inFlight.size > 0) {
        await this.running;
        await Promise.all(this.inFlight);
      }
    };
    await idle();
    this.poke();
    await this.current();
    await idle();
  }

  private current(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async work(): Promise<void> {
    try {
      const waiting = await hasWork(this.db.kysely, this.now());
      if (waiting.events) while ((await this.fanOut()) === FAN_OUT_BATCH && !this.closed);
      if (waiting.events || waiting.deliveries) while ((await this.deliverDue()) > 0 && !this.closed);
    } catch (error) {
      this.log('error', 'notification worker failed', { error: failureText(error) });
    }
  }

  /**
   * Turns waiting events into deliveries, one per matching unpaused rule, and returns how many
   * events it took. Matching runs outside the write (a filter's query holds no lock), and a
   * rule whose filter fails gets a failed delivery saying why instead of stopping every other
   * rule. A second replica doing the same events adds nothing: a delivery is unique per event
   * and rule.
   */
  async fanOut(): Promise<number> {
    const events = await waitingEvents(this.db.kysely, FAN_OUT_BATCH);
    if (events.length === 0) return 0;
    const rows: NewDelivery[] = [];
    const byStatus = new Map<NotifyStatus, OutboxEvent[]>();
    for (const event of events) {
      if (event.ruleId !== null) {
        rows.push({ eventId: event.id, ruleId: event.ruleId });
      } else if (event.kind === 'status' && event.toStatus && event.runId) {
        const status = event.toStatus as NotifyStatus;
        byStatus.set(status, [...(byStatus.get(status) ?? []), event]);
      }
    }
    for (const [status, group] of byStatus) {
      for (const rule of await activeRules(this.db.kysely, status)) {
        try {
          const inScope = await runsInScope(this.db.kysely, this.db.dialect, rule.scope, rule.owner, [...new Set(group.map((e) => e.runId!))]);
          for (const event of group) if (inScope.has(event.runId!)) rows.push({ eventId: event.id, ruleId: rule.id });
        } catch (error) {
          const why = `the rule's runs could not be matched: ${failureText(error)}`;
          for (const event of group) rows.push({ eventId: event.id, ruleId: rule.id, failed: why });
        }
      }
    }
    await this.db.write(async (trx) => {
      await insertDeliveries(trx, rows, this.now());
      await markFannedOut(trx, events.map((e) => e.id));
    });
    return events.length;
  }

  /** Starts the due deliveries there is room for, without waiting for them. Returns how many it started. */
  async deliverDue(): Promise<number> {
    if (this.slots.free <= 0) return 0;
    const taken: StoredRule[] = [];
    let claimed: ClaimedDelivery[] = [];
    try {
      // Looks further than the free slots: deliveries of a full rule or host are passed over.
      claimed = await claimDeliveries(this.db, this.now(), this.leaseMs(), Math.min(64, this.slots.free * 4), {
        skipRules: this.slots.fullRules(),
        accept: (rule) => this.slots.take(rule) && taken.push(rule) > 0,
      });
    } catch (error) {
      for (const rule of taken) this.slots.release(rule);
      throw error;
    }
    for (const d of claimed) this.track(d, this.deliver(d));
    return claimed.length;
  }

  private track(d: ClaimedDelivery, sending: Promise<void>): void {
    const done: Promise<void> = sending.finally(() => {
      this.inFlight.delete(done);
      this.slots.release(d.rule);
      this.poke();
    });
    this.inFlight.add(done);
  }

  /** Sends one delivery now, whoever's turn it is. A test ("Send a test") goes even to a paused rule, and is tried once: its sender sees how it went. */
  async deliverNow(deliveryId: string, how: { test: boolean }): Promise<void> {
    const [claimed] = await claimDeliveries(this.db, this.now(), this.leaseMs(), 1, { only: deliveryId });
    if (claimed) await this.deliver(claimed, how.test);
  }

  /** Each stall rule's Running runs that went silent get one event per stall (a unique key per run and last sign of life). */
  async scanStalls(): Promise<number> {
    let found = 0;
    const now = this.now();
    for (const rule of await activeRules(this.db.kysely, 'stalled')) {
      try {
        const minutes = rule.stalledMinutes!;
        const stalled = await stalledRuns(this.db.kysely, this.db.dialect, rule, now - minutes * 60_000, STALLS_PER_RULE);
        if (stalled.length > 0) found += await this.db.write((trx) => recordStalls(trx, { id: rule.id, minutes }, stalled, now));
      } catch (error) {
        // One rule whose filter fails must not keep the others from being scanned.
        this.log('error', 'stall scan of a rule failed', { rule: rule.id, error: failureText(error) });
      }
    }
    if (found > 0) this.poke();
    return found;
  }

  private leaseMs(): number {
    return Math.max(60_000, this.options.notifySendTimeoutMs * 4);
  }

  private backoff(attempt: number): number {
    const base = this.options.notifyRetryBaseMs * 2 ** (attempt - 1);
    return Math.round(Math.min(base, this.options.notifyRetryMaxMs) * (0.8 + Math.random() * 0.4));
  }

  private async deliver(d: ClaimedDelivery, test = false): Promise<void> {
    const paused = d.rule.paused && !test;
    try {
      if (paused) throw new Error('not sent: the rule was paused');
      await this.send(d.event, d.rule, d.id);
      await finishDelivery(this.db, d.id, d.attempt, { sentAt: this.now() });
    } catch (error) {
      const last = d.attempt >= this.options.notifyMaxAttempts || paused || test;
      const text = failureText(error);
      await finishDelivery(this.db, d.id, d.attempt, { error: text, retryAt: last ? null : this.now() + this.backoff(d.attempt) }).catch((e: unknown) =>
        this.log('error', 'notification state not saved', { delivery: d.id, error: failureText(e) }),
      );
      this.log('warn', last ? 'notification failed for good' : 'notification failed; will retry', { rule: d.rule.id, delivery: d.id, attempt: d.attempt, error: text });
    }
  }

  private async send(event: OutboxEvent, rule: StoredRule, deliveryId: string): Promise<void> {
    const publicUrl = this.options.publicUrl;
    const payload = await describeEvent({ db: this.db, logs: this.logs, publicUrl, now: this.now() }, deliveryId, event, rule);
    const channel = rule.channel;
    if (channel.kind === 'email') {
      if (!this.mailer) throw new Error('this server sends no e-mail: start it with --smtp-url (and --mail-from)');
      await this.mailer.send({ to: channel.to, ...emailOf(payload, publicUrl), messageId: `<${deliveryId}@runstudio>`, eventId: event.id });
      return;
    }
    if (!rule.secret) throw new Error('the rule has no signing secret');
    await postWebhook(channel.url, rule.secret, deliveryId, channel.format === 'slack' ? slackOf(payload) : payload, this.options.notifySendTimeoutMs, new Date(this.now()));
  }
}
