import fs from 'node:fs/promises';
import { fileSize, READ_CHUNK, readAt } from './log-files.js';
import { SparseLineIndex } from './log-index.js';

/**
 * The line indexes of all logs, least recently used first, within a byte budget: an
 * evicted index is rebuilt from its file by the next read that needs it.
 */
export class LogIndexCache {
  private readonly entries = new Map<string, { index: SparseLineIndex; bytes: number }>();
  private readonly scans = new Map<string, Promise<void>>();
  private total = 0;

  constructor(private readonly budgetBytes = 32 * 1024 * 1024) {}

  /** The index of a log file, brought up to the file's size by scanning only the bytes it has not seen. */
  async current(file: string): Promise<{ index: SparseLineIndex; size: number; totalLines: number }> {
    const size = await fileSize(file);
    // A log only grows; one found shorter was replaced behind our back: index it anew.
    if ((this.entries.get(file)?.index.scanned ?? 0) > size) this.forget(file);
    const index = this.use(file);
    // One scan of a log at a time: concurrent readers wait for it rather than repeat it.
    for (let running = this.scans.get(file); running; running = this.scans.get(file)) await running;
    if (index.scanned < size) {
      const scan = this.scan(file, index, size).finally(() => this.scans.delete(file));
      this.scans.set(file, scan);
      await scan;
    }
    // Appends may have fed it further meanwhile: answer for what it has seen, consistently.
    return { index, size: index.scanned, totalLines: index.totalLines };
  }

  /** Appended bytes: a cached index (or a new log's) learns them now, so no read has to scan them. */
  learn(file: string, bytes: Buffer, at: number): void {
    if (at === 0) this.forget(file);
    const index = at === 0 ? this.use(file) : this.entries.get(file)?.index;
    if (!index) return;
    index.feed(bytes, at);
    this.resized(file);
  }

  private async scan(file: string, index: SparseLineIndex, size: number): Promise<void> {
    const handle = await fs.open(file, 'r');
    try {
      const buffer = Buffer.allocUnsafe(READ_CHUNK);
      while (index.scanned < size) {
        const at = index.scanned;
        const chunk = await readAt(handle, at, Math.min(READ_CHUNK, size - at), buffer);
        if (chunk.length === 0) break;
        index.feed(chunk, at);
      }
    } finally {
      await handle.close();
      this.resized(file);
    }
  }

  private forget(key: string): void {
    this.total -= this.entries.get(key)?.bytes ?? 0;
    this.entries.delete(key);
  }

  /** The index of `key`, marked as just used; a new empty one when there is none. */
  private use(key: string): SparseLineIndex {
    const entry = this.entries.get(key) ?? { index: new SparseLineIndex(), bytes: 0 };
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.resized(key);
    return entry.index;
  }

  /** Accounts for the index of `key` having grown; evicts the least recently used past the budget. */
  private resized(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.total += entry.index.byteSize - entry.bytes;
    entry.bytes = entry.index.byteSize;
    for (const [oldest, { bytes }] of this.entries) {
      if (this.total <= this.budgetBytes) break;
      if (oldest === key) continue;
      this.entries.delete(oldest);
      this.total -= bytes;
    }
  }

  /** Memory all cached indexes hold, in bytes. */
  get byteSize(): number {
    return this.total;
  }
}
