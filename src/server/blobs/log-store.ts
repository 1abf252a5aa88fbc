import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ApiError, invalidParameter } from '../errors.js';

/** Log names are plain file names: `std_log.txt`, `train.log`, `rank-0.out`. */
export function checkLogName(name: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw invalidParameter(`Invalid log name '${name}': use letters, digits, '.', '_' and '-' (at most 100), not starting with '.' or '-'.`);
  }
}

interface LineIndex {
  scanned: number;
  /** Byte offset where each line starts. */
  starts: number[];
}

const CHUNK = 1 << 20;

/**
 * Append-only log streams, one file per run and name. Appends are idempotent by byte
 * offset and serialised per file; a line index is kept per file so any window of lines
 * is one range read, however large the log.
 */
export class LogStore {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly indexes = new Map<string, LineIndex>();
  private readonly events = new EventEmitter();

  constructor(
    private readonly root: string,
    /** Whether an append is fsynced before it is acknowledged (`--durability full`). */
    private readonly durability: { fsync: boolean } = { fsync: false },
  ) {
    this.events.setMaxListeners(0);
  }

  private file(runId: string, name: string): string {
    checkLogName(name);
    return path.join(this.root, 'logs', runId, name);
  }

  async size(runId: string, name: string): Promise<number> {
    try {
      return (await fs.stat(this.file(runId, name))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
  }

  async list(runId: string): Promise<Array<{ name: string; size: number }>> {
    const dir = path.join(this.root, 'logs', runId);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const sizes = await Promise.all(names.map(async (name) => ({ name, size: (await fs.stat(path.join(dir, name))).size })));
    return sizes.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Appends `bytes` written at `offset`. Bytes already stored are skipped (a retry is a
   * no-op, an overlap appends only the new tail); an offset past the end is a gap: 409.
   */
  append(runId: string, name: string, offset: number, bytes: Buffer): Promise<{ size: number; appended: number }> {
    const file = this.file(runId, name);
    const run = async () => {
      const size = await this.size(runId, name);
      if (offset > size) {
        throw new ApiError('RESOURCE_CONFLICT', `Log '${name}' has ${size} bytes; an append at offset ${offset} would leave a gap. Resend from offset ${size}.`, { size });
      }
      const tail = bytes.subarray(size - offset);
      if (tail.length > 0) {
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.appendFile(file, tail);
        this.events.emit(`${runId}/${name}`, size + tail.length);
      }
      return { size: size + tail.length, appended: tail.length };
    };
    const key = file;
    const next = (this.queues.get(key) ?? Promise.resolve()).then(run, run);
    this.queues.set(key, next.catch(() => undefined));
    return next;
  }

  async read(runId: string, name: string, from: number, to?: number): Promise<Buffer> {
    const handle = await fs.open(this.file(runId, name), 'r').catch(() => null);
    if (!handle) return Buffer.alloc(0);
    try {
      const size = (await handle.stat()).size;
      const end = Math.min(to ?? size, size);
      if (from >= end) return Buffer.alloc(0);
      const buffer = Buffer.alloc(end - from);
      await handle.read(buffer, 0, buffer.length, from);
      return buffer;
    } finally {
      await handle.close();
    }
  }

  private async index(runId: string, name: string): Promise<{ index: LineIndex; size: number }> {
    const key = `${runId}/${name}`;
    const index = this.indexes.get(key) ?? { scanned: 0, starts: [0] };
    const size = await this.size(runId, name);
    for (let at = index.scanned; at < size; at += CHUNK) {
      const chunk = await this.read(runId, name, at, Math.min(at + CHUNK, size));
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) index.starts.push(at + i + 1);
    }
    index.scanned = size;
    this.indexes.delete(key);
    this.indexes.set(key, index);
    if (this.indexes.size > 50) this.indexes.delete(this.indexes.keys().next().value!);
    return { index, size };
  }

  /** A window of lines and the log's total line count; only that window is read. */
  async lines(runId: string, name: string, start: number, count: number): Promise<{ totalLines: number; size: number; start: number; lines: string[] }> {
    const { index, size } = await this.index(runId, name);
    const starts = index.starts;
    const totalLines = starts[starts.length - 1] === size ? starts.length - 1 : starts.length;
    const first = Math.min(Math.max(0, start), totalLines);
    const last = Math.min(first + count, totalLines);
    if (first >= last) return { totalLines, size, start: first, lines: [] };
    const bytes = await this.read(runId, name, starts[first]!, last < starts.length ? starts[last]! : size);
    const lines = bytes.toString('utf8').split('\n').slice(0, last - first).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    return { totalLines, size, start: first, lines };
  }

  /** Line numbers (0-based) whose text contains `query`, case-insensitive; at most `limit`. */
  async search(runId: string, name: string, query: string, limit: number): Promise<{ lines: number[]; truncated: boolean }> {
    const needle = query.toLowerCase();
    const { index, size } = await this.index(runId, name);
    const found: number[] = [];
    const starts = index.starts;
    const linesPerBatch = 20_000;
    for (let line = 0; line < starts.length && starts[line]! < size; line += linesPerBatch) {
      const last = Math.min(line + linesPerBatch, starts.length);
      const text = (await this.read(runId, name, starts[line]!, last < starts.length ? starts[last]! : size)).toString('utf8');
      const parts = text.split('\n');
      for (let i = 0; i < parts.length && line + i < last; i += 1) {
        if (parts[i]!.toLowerCase().includes(needle)) {
          found.push(line + i);
          if (found.length >= limit) return { lines: found, truncated: true };
        }
      }
    }
    return { lines: found, truncated: false };
  }

  /** Calls `listener(newSize)` after every append to this log; returns the unsubscribe. */
  onAppend(runId: string, name: string, listener: (size: number) => void): () => void {
    const key = `${runId}/${name}`;
    this.events.on(key, listener);
    return () => this.events.off(key, listener);
  }
}
