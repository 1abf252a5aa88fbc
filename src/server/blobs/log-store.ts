import { EventEmitter } from 'node:events';
import { createReadStream, type ReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LogLines } from '../../shared/studio/logs.js';
import { ApiError, invalidParameter } from '../errors.js';
import { LogFollowers, type FollowerSink } from './log-followers.js';
import { appendBytes, fileSize, holdsBytes } from './log-files.js';
import { KeyedQueue } from './keyed-queue.js';
import { LogIndexCache } from './log-index-cache.js';
import { readWindow } from './log-lines.js';
import { searchLog } from './log-search.js';

/** Log names are plain file names: `std_log.txt`, `train.log`, `rank-0.out`. */
export function checkLogName(name: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw invalidParameter(`Invalid log name '${name}': use letters, digits, '.', '_' and '-' (at most 100), not starting with '.' or '-'.`);
  }
}

/**
 * Append-only log streams, one file per run and name. Appends are byte-exact by offset and
 * serialised per file. Nothing holds a whole log: line windows go through a sparse index,
 * search and downloads stream, live tails share one reader per log.
 */
export class LogStore {
  private readonly queue = new KeyedQueue();
  private readonly indexes: LogIndexCache;
  private readonly events = new EventEmitter();
  private readonly followers: LogFollowers;

  constructor(
    private readonly root: string,
    /** Whether an append is fsynced before it is acknowledged (`--durability full`). */
    private readonly durability: { fsync: boolean } = { fsync: false },
    indexBudgetBytes?: number,
  ) {
    this.events.setMaxListeners(0);
    this.indexes = new LogIndexCache(indexBudgetBytes);
    this.followers = new LogFollowers((file, listener) => {
      this.events.on(file, listener);
      return () => this.events.off(file, listener);
    });
  }

  private file(runId: string, name: string): string {
    checkLogName(name);
    // Routes only pass ids of runs that exist; checked here too, so no id can name a path outside the run's directory.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(runId)) throw invalidParameter(`Invalid run id '${runId.slice(0, 100)}'.`);
    return path.join(this.root, 'logs', runId, name);
  }

  /** Whether this log has live tails in this process now. */
  following(runId: string, name: string): boolean {
    return this.followers.has(this.file(runId, name));
  }

  size(runId: string, name: string): Promise<number> {
    return fileSize(this.file(runId, name));
  }

  async list(runId: string): Promise<Array<{ name: string; size: number }>> {
    const dir = path.join(this.root, 'logs', runId);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const sizes = await Promise.all(names.map(async (name) => ({ name, size: (await fs.stat(path.join(dir, name))).size })));
    return sizes.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Appends `bytes` written at `offset`. Bytes already stored must be the same: a retry is
   * a no-op and an overlap appends only the new tail; different bytes, or an offset past
   * the end (a gap), are a 409 with the stored size, and nothing is written.
   */
  append(runId: string, name: string, offset: number, bytes: Buffer): Promise<{ size: number; appended: number }> {
    const file = this.file(runId, name);
    const run = async () => {
      const size = await fileSize(file);
      if (offset > size) {
        throw new ApiError('RESOURCE_CONFLICT', `Log '${name}' has ${size} bytes; an append at offset ${offset} would leave a gap. Resend from offset ${size}.`, { size });
      }
      const overlap = Math.min(size - offset, bytes.length);
      if (overlap > 0 && !(await holdsBytes(file, offset, bytes.subarray(0, overlap)))) {
        throw new ApiError('RESOURCE_CONFLICT', `Log '${name}' already holds other bytes at offset ${offset} (it has ${size} bytes); nothing was written. Resend from offset ${size}.`, { size });
      }
      const tail = bytes.subarray(overlap);
      if (tail.length > 0) {
        await appendBytes(file, tail, this.durability.fsync);
        this.indexes.learn(file, tail, size);
        this.events.emit(file);
      }
      return { size: size + tail.length, appended: tail.length };
    };
    return this.queue.run(file, run);
  }

  /** Bytes [from, to) of the log as a stream, clamped to what it holds; null when empty. */
  stream(runId: string, name: string, from: number, to: number): ReadStream | null {
    return from < to ? createReadStream(this.file(runId, name), { start: from, end: to - 1, highWaterMark: 256 * 1024 }) : null;
  }

  /** A window of lines and the log's total line count; only that window is read. */
  async lines(runId: string, name: string, start: number, count: number): Promise<LogLines> {
    const file = this.file(runId, name);
    const { index, size, totalLines } = await this.indexes.current(file);
    const first = Math.min(Math.max(0, start), totalLines);
    const last = Math.min(first + count, totalLines);
    if (first >= last) return { totalLines, size, start: first, lines: [] };
    const handle = await fs.open(file, 'r');
    try {
      const window = await readWindow(handle, index, size, first, last - first);
      return { totalLines, size, start: first, lines: window.lines, ...(window.truncated ? { truncated: true } : {}) };
    } finally {
      await handle.close();
    }
  }

  /** Line numbers (0-based) whose text contains `query`, case-insensitive; at most `limit`. */
  async search(runId: string, name: string, query: string, limit: number): Promise<{ lines: number[]; truncated: boolean }> {
    const file = this.file(runId, name);
    const handle = await fs.open(file, 'r').catch(() => null);
    if (!handle) return { lines: [], truncated: false };
    try {
      return await searchLog(handle, (await handle.stat()).size, query, limit);
    } finally {
      await handle.close();
    }
  }

  /** Sends the log from byte `from` to `sink` as server-sent events, then each append; returns the unsubscribe. */
  follow(runId: string, name: string, from: number, sink: FollowerSink, onError: (error: unknown) => void): () => void {
    return this.followers.follow(this.file(runId, name), from, sink, onError);
  }

  /** Ends every live tail, for a server that is closing. */
  endStreams(): void {
    this.followers.closeAll();
  }

  /** Open live tails, all logs together (the server caps them). */
  get openStreams(): number {
    return this.followers.count;
  }

  /** Each followed log, its followers and its one watcher. */
  followerHubs(): Array<{ file: string; followers: number; watching: boolean }> {
    return this.followers.list();
  }

  /** Memory the line indexes hold, in bytes. */
  get indexBytes(): number {
    return this.indexes.byteSize;
  }
}
