import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { sql, type Kysely } from 'kysely';
import type { LogLines } from '../../shared/studio/logs.js';
import type { Db } from '../store/db.js';
import type { Database } from '../store/schema.js';
import type { FollowerSink } from './log-followers.js';
import { KeyedQueue } from './keyed-queue.js';
import { checkLogName, type LogStore } from './log-store.js';
import type { S3Place } from './s3-client.js';

/** Segments are fetched into the cache in reads of at most this many bytes. */
const FETCH_BYTES = 4 * 1024 * 1024;

/**
 * Where a log ends: the end of its last segment, found by one seek on the primary key (a log
 * of a long run has hundreds of thousands of segments; an aggregate over them would read all).
 */
async function lastEnd(db: Kysely<Database>, runId: string, name: string): Promise<number> {
  const row = await db
    .selectFrom('log_segments')
    .select(['start_offset', 'length'])
    .where('run_uuid', '=', runId)
    .where('name', '=', name)
    .orderBy('start_offset', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.start_offset) + Number(row.length) : 0;
}

/** Offsets in object keys are padded, so a log's objects list in order. */
const pad = (n: number) => String(n).padStart(15, '0');

/**
 * Logs in an S3 bucket, for several replicas over one database. S3 objects cannot be
 * appended to, so each append is uploaded as its own object and recorded as a segment in
 * `log_segments`; the log is its segments in offset order, and the database's primary key
 * on (run, name, start_offset) lets exactly one replica win each offset. Every replica reads
 * through a local cache file kept by an inner LogStore (its line index, search, streams and
 * live tails), brought up to the database's size by fetching the segments it lacks.
 *
 * An upload is made before its segment is recorded, never inside a transaction: a replica
 * that loses the race deletes its object and tries again; one that crashes between the two
 * leaves an object no segment names, which is never read.
 */
export class SharedLogStore {
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly db: Db,
    private readonly s3: S3Place,
    /** The local cache: a directory LogStore rooted at `<blobDir>/cache`. */
    private readonly cache: LogStore,
    private readonly onSyncError: (error: unknown) => void = (error) => console.warn('log cache sync failed:', error),
  ) {}

  /** The log's size: the end of its last segment. */
  async size(runId: string, name: string): Promise<number> {
    checkLogName(name);
    return lastEnd(this.db.kysely, runId, name);
  }

  async list(runId: string): Promise<Array<{ name: string; size: number }>> {
    const rows = await this.db.kysely
      .selectFrom('log_segments')
      .select(['name', sql<number>`max(start_offset + length)`.as('size')])
      .where('run_uuid', '=', runId)
      .groupBy('name')
      .execute();
    return rows.map((r) => ({ name: r.name, size: Number(r.size) })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Appends `bytes` written at `offset`, as LogStore does: a retry is a no-op, an overlap
   * appends only the new tail, different bytes or a gap are a 409 with the stored size.
   * Serialised per log in this process; across replicas, the database decides.
   */
  append(runId: string, name: string, offset: number, bytes: Buffer): Promise<{ size: number; appended: number }> {
    return this.exclusive(runId, name, async () => {
      checkLogName(name);
      for (;;) {
        const size = await this.syncLocked(runId, name);
        const overlap = Math.max(0, Math.min(size - offset, bytes.length));
        // The cache holds the log's first `size` bytes: its append checks the gap and the overlap, with LogStore's 409s.
        await this.cache.append(runId, name, offset, bytes.subarray(0, overlap));
        const tail = bytes.subarray(overlap);
        if (tail.length === 0) return { size, appended: 0 };
        const key = this.s3.key('logs', runId, name, `${pad(size)}-${randomBytes(8).toString('hex')}`);
        await this.s3.client.send(new PutObjectCommand({ Bucket: this.s3.bucket, Key: key, Body: tail, ContentLength: tail.length }));
        if (!(await this.record(runId, name, size, tail.length, key))) {
          // Another replica appended first: its bytes decide what overlaps now.
          await this.s3.client.send(new DeleteObjectCommand({ Bucket: this.s3.bucket, Key: key })).catch(this.onSyncError);
          continue;
        }
        await this.cache.append(runId, name, size, tail);
        return { size: size + tail.length, appended: tail.length };
      }
    });
  }

  /** Bytes [from, to) of the log as a stream, clamped to what it holds; null when empty. */
  async stream(runId: string, name: string, from: number, to: number): Promise<Readable | null> {
    await this.sync(runId, name);
    return this.cache.stream(runId, name, from, to);
  }

  async lines(runId: string, name: string, start: number, count: number): Promise<LogLines> {
    await this.sync(runId, name);
    return this.cache.lines(runId, name, start, count);
  }

  async search(runId: string, name: string, query: string, limit: number): Promise<{ lines: number[]; truncated: boolean }> {
    await this.sync(runId, name);
    return this.cache.search(runId, name, query, limit);
  }

  /** A live tail of the local cache, which is brought up to date now and on each noticeGrowth. */
  follow(runId: string, name: string, from: number, sink: FollowerSink, onError: (error: unknown) => void): () => void {
    const stop = this.cache.follow(runId, name, from, sink, onError);
    this.sync(runId, name).catch(onError);
    return stop;
  }

  /** Another replica appended (a run event said so): fetch up to `size` for local readers. Never rejects. */
  async noticeGrowth(runId: string, name: string, size: number): Promise<void> {
    try {
      checkLogName(name);
      // Only logs someone here follows live: the others are fetched when read, so a replica
      // does not copy every log another one writes.
      if (!this.cache.following(runId, name)) return;
      if ((await this.cache.size(runId, name)) >= size) return;
      await this.sync(runId, name);
    } catch (error) {
      this.onSyncError(error);
    }
  }

  endStreams(): void {
    this.cache.endStreams();
  }

  get openStreams(): number {
    return this.cache.openStreams;
  }

  followerHubs(): Array<{ file: string; followers: number; watching: boolean }> {
    return this.cache.followerHubs();
  }

  get indexBytes(): number {
    return this.cache.indexBytes;
  }

  /** Brings the cache up to the database's size. */
  private sync(runId: string, name: string): Promise<number> {
    return this.exclusive(runId, name, async () => {
      checkLogName(name);
      return this.syncLocked(runId, name);
    });
  }

  /** Fetches the segments the cache lacks, in order; returns the log's size. Runs inside `exclusive`. */
  private async syncLocked(runId: string, name: string): Promise<number> {
    const size = await this.size(runId, name);
    let cached = await this.cache.size(runId, name);
    if (cached >= size) return size;
    const segments = await this.db.kysely
      .selectFrom('log_segments')
      .select(['start_offset', 'length', 'object_key', 'object_offset'])
      .where('run_uuid', '=', runId)
      .where('name', '=', name)
      // From the segment holding byte `cached` on: segments tile the log, so that one starts last at or before it (an index seek).
      .where('start_offset', '>=', (eb) =>
        eb
          .selectFrom('log_segments')
          .select(sql<number>`coalesce(max(start_offset), 0)`.as('first'))
          .where('run_uuid', '=', runId)
          .where('name', '=', name)
          .where('start_offset', '<=', cached),
      )
      .where('start_offset', '<', size)
      .orderBy('start_offset')
      .execute();
    for (const segment of segments) {
      const start = Number(segment.start_offset);
      const end = start + Number(segment.length);
      const base = Number(segment.object_offset) - start;
      while (cached < end) {
        const upTo = Math.min(end, cached + FETCH_BYTES);
        const range = `bytes=${cached + base}-${upTo + base - 1}`;
        const object = await this.s3.client.send(new GetObjectCommand({ Bucket: this.s3.bucket, Key: segment.object_key, Range: range }));
        const bytes = Buffer.from(await object.Body!.transformToByteArray());
        if (bytes.length !== upTo - cached) throw new Error(`Log object '${segment.object_key}' is shorter than its segment (${range}).`);
        await this.cache.append(runId, name, cached, bytes);
        cached = upTo;
      }
    }
    return size;
  }

  /** Records a segment at `start` if the log still ends there; false when another replica got there first. */
  private record(runId: string, name: string, start: number, length: number, key: string): Promise<boolean> {
    return this.db.write(async (trx) => {
      if ((await lastEnd(trx, runId, name)) !== start) return false;
      // The primary key settles a race the check above cannot see (PostgreSQL, read committed).
      const result = await trx
        .insertInto('log_segments')
        .values({ run_uuid: runId, name, start_offset: start, length, object_key: key, object_offset: 0 })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    });
  }

  /** Runs `work` after everything queued for this log in this process. */
  private exclusive<T>(runId: string, name: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(`${runId}/${name}`, work);
  }
}
