import { sql, type Insertable } from 'kysely';
import type { ControlEvent } from '../../shared/studio/control.js';
import type { RunEvent } from '../../shared/studio/events.js';
import type { Db } from '../store/db.js';
import type { RunEventsTable } from '../store/schema.js';
import { coalesce, eventKey, type Published } from './coalesce.js';
import { PgListener } from './pg-listener.js';
import { touchLiveness } from '../store/notify-outbox.store.js';

/** One stored event: what the stream sends (`run`), or what launchers hear (`control`). */
export type StoredEvent =
  | { id: number; type: 'run'; event: RunEvent }
  | { id: number; type: 'control'; runId: string; control: ControlEvent };

export interface RunEventBusOptions {
  /** Published events are coalesced and written together this often (ms). */
  flushMs: number;
  /** Events older than this are pruned (ms); a page that missed more refetches. */
  retainMs: number;
  /** How often a replica reads new events without being told to (ms): LISTEN's safety net. */
  pollMs: number;
  now: () => number;
}

const defaults: RunEventBusOptions = { flushMs: 15, retainMs: 60 * 60 * 1000, pollMs: 2000, now: Date.now };

/** Channel of PostgreSQL NOTIFY: "events up to this id are stored". */
const CHANNEL = 'runstudio_events';
/** Advisory lock key serialising event writes on PostgreSQL, so ids commit in order. */
const WRITE_LOCK = 727_001;
const READ_BATCH = 1000;

type Listener = (events: StoredEvent[]) => void;

/**
 * The run events of the whole server, across replicas. Services publish what changed; the bus
 * coalesces for a few ms, stores the events in `run_events` (one id sequence: a page resumes
 * on any replica), and wakes every replica: in-process on SQLite, by LISTEN/NOTIFY on
 * PostgreSQL (with a slow poll as the safety net). Each replica reads new events once, in id
 * order, and hands them to its subscribers (event streams, launchers' control streams, log
 * tails of another replica's appends).
 */
export class RunEventBus {
  private readonly options: RunEventBusOptions;
  private pending = new Map<string, Published>();
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<Listener>();
  private readHead = 0;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private listener: PgListener | null = null;
  private experimentOf = new Map<string, string>();
  private closed = false;

  constructor(
    private readonly db: Db,
    options: Partial<RunEventBusOptions> = {},
  ) {
    this.options = { ...defaults, ...options };
  }

  /** Reads the current head and, on PostgreSQL, starts listening. */
  async start(): Promise<void> {
    this.readHead = await this.maxId();
    if (this.db.dialect === 'postgres' && this.db.url) {
      this.listener = new PgListener(this.db.url, CHANNEL, () => this.read());
      await this.listener.start();
    }
    this.pollTimer = setInterval(() => this.read(), this.options.pollMs).unref();
    this.pruneTimer = setInterval(() => void this.prune().catch(logError('prune')), 60_000).unref();
  }

  async close(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    await this.flush().catch(logError('flush'));
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.listener?.close();
    await this.reading;
  }

  /** The id of the last event this replica has handed out. */
  get head(): number {
    return this.readHead;
  }

  /** Something changed in a run; the experiment is looked up when not given. */
  publish(event: Omit<RunEvent, 'experimentId'> & { experimentId?: string }): void {
    this.enqueue({ type: 'run', event });
  }

  /** What the launcher holding `runId` must hear, on whichever replica holds it. */
  publishControl(runId: string, control: ControlEvent): void {
    this.enqueue({ type: 'control', runId, control });
  }

  private enqueue(item: Published): void {
    if (this.closed) return;
    const key = eventKey(item);
    const before = this.pending.get(key);
    this.pending.set(key, before ? coalesce(before, item) : item);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      this.flush().catch(logError('flush'));
    }, this.options.flushMs);
  }

  /** Stores what was published so far and wakes the replicas; resolves when it is stored. */
  flush(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending = new Map();
    if (batch.length === 0) return this.flushing;
    // A failed write is logged by its caller and must not stop every later one.
    this.flushing = this.flushing.catch(() => undefined).then(() => this.store(batch));
    return this.flushing;
  }

  private async store(batch: Published[]): Promise<void> {
    await this.resolveExperiments(batch);
    const time = this.options.now();
    const rows = batch.flatMap((item): Array<Insertable<RunEventsTable>> => {
      if (item.type === 'control') return [{ time, kind: 'control', run_uuid: item.runId, experiment_id: null, data: JSON.stringify(item.control) }];
      const experimentId = item.event.experimentId ?? this.experimentOf.get(item.event.runId);
      // A run that does not exist (deleted since, or never) has nobody to tell.
      if (experimentId === undefined) return [];
      const event: RunEvent = { ...item.event, experimentId };
      return [{ time, kind: event.kind, run_uuid: event.runId, experiment_id: experimentId, data: JSON.stringify(event) }];
    });
    if (rows.length === 0) return;
    await this.db.write(async (trx) => {
      if (this.db.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`.execute(trx);
      // In chunks, below PostgreSQL's 65,535 parameters of one statement.
      for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('run_events').values(rows.slice(i, i + 1000)).execute();
      // A metric or a log line is a sign of life: stalled-run rules read when each run last gave one.
      const alive = [...new Set(rows.filter((r) => r.kind === 'metrics' || r.kind === 'log').map((r) => r.run_uuid!))];
      await touchLiveness(trx, alive, time);
      if (this.db.dialect === 'postgres') await sql`SELECT pg_notify(${CHANNEL}, '')`.execute(trx);
    });
    if (this.db.dialect === 'sqlite' || !this.listener) this.read();
  }

  private async resolveExperiments(batch: Published[]): Promise<void> {
    const unknown = new Set<string>();
    for (const item of batch) {
      if (item.type !== 'run') continue;
      if (item.event.experimentId !== undefined) this.remember(item.event.runId, item.event.experimentId);
      else if (!this.experimentOf.has(item.event.runId)) unknown.add(item.event.runId);
    }
    if (unknown.size === 0) return;
    const rows = await this.db.kysely
      .selectFrom('runs')
      .select(['run_uuid', 'experiment_id'])
      .where('run_uuid', 'in', [...unknown])
      .execute();
    for (const row of rows) this.remember(row.run_uuid, String(row.experiment_id));
  }

  /** A run never changes experiment: its experiment is remembered (the 50,000 most recent). */
  private remember(runId: string, experimentId: string): void {
    if (this.experimentOf.size >= 50_000) this.experimentOf.clear();
    this.experimentOf.set(runId, experimentId);
  }

  /** Hands every event stored after the head to the subscribers, in id order. */
  read(): void {
    if (this.closed) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = (async () => {
      try {
        do {
          this.readAgain = false;
          for (;;) {
            const events = await this.readAfter(this.readHead, READ_BATCH);
            if (events.length === 0) break;
            this.readHead = events[events.length - 1]!.id;
            for (const listener of this.listeners) listener(events);
            if (events.length < READ_BATCH) break;
          }
        } while (this.readAgain && !this.closed);
      } catch (error) {
        logError('read')(error);
      } finally {
        this.reading = null;
      }
    })();
  }

  /** Every new event, in id order, as this replica reads them. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stored events with ids in (after, upTo], oldest first, at most `limit`; null when some of
   * them were pruned already (the reader missed too much and should start over).
   */
  async readAfter(after: number, limit: number, upTo?: number): Promise<StoredEvent[]> {
    let query = this.db.kysely.selectFrom('run_events').selectAll().where('id', '>', after).orderBy('id').limit(limit);
    if (upTo !== undefined) query = query.where('id', '<=', upTo);
    const rows = await query.execute();
    return rows.map((row): StoredEvent => {
      const data: unknown = JSON.parse(row.data);
      return row.kind === 'control'
        ? { id: Number(row.id), type: 'control', runId: row.run_uuid ?? '', control: data as ControlEvent }
        : { id: Number(row.id), type: 'run', event: data as RunEvent };
    });
  }

  /** Whether events after `after` are still all stored (none was pruned). */
  async holdsAfter(after: number): Promise<boolean> {
    // Against the table, not this replica's head: a page coming from a replica that read further is not behind.
    if (after > this.readHead && after > (await this.maxId())) return false;
    const row = await this.db.kysely.selectFrom('run_events').select((eb) => eb.fn.min('id').as('first')).executeTakeFirst();
    const first = row?.first === null || row?.first === undefined ? null : Number(row.first);
    return first === null ? after === this.readHead : first <= after + 1;
  }

  private async maxId(): Promise<number> {
    const row = await this.db.kysely.selectFrom('run_events').select((eb) => eb.fn.max('id').as('last')).executeTakeFirst();
    return row?.last === null || row?.last === undefined ? 0 : Number(row.last);
  }

  /** Removes events older than the retention, keeping the newest so ids never restart. */
  async prune(): Promise<number> {
    const cutoff = this.options.now() - this.options.retainMs;
    const last = await this.maxId();
    const result = await this.db.write((trx) => trx.deleteFrom('run_events').where('time', '<', cutoff).where('id', '<', last).executeTakeFirst());
    return Number(result.numDeletedRows);
  }
}

function logError(what: string) {
  return (error: unknown) => console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: `run events: ${what} failed`, error: String(error) }));
}
