import type { ApiClient } from '../api-client.js';
import { backoffMs } from './retry.js';
import type { Spool } from './spool.js';

export interface LogShipperOptions {
  api: ApiClient;
  runId: string;
  spool: Spool;
  /** Told once when the server goes away, once when it is back, and on anything odd. */
  warn: (message: string) => void;
  name?: string;
  /** Small writes wait this long to go out together. */
  flushMs?: number;
  /** Largest append; this much waiting is sent at once. */
  chunkBytes?: number;
  /** Past this many unsent bytes in memory (a slow server), they move to the spool. */
  memoryBytes?: number;
}

type Sent = { kind: 'stored' } | { kind: 'retry' } | { kind: 'conflict'; size: number } | { kind: 'refused'; message: string };

/**
 * Appends a process's output to a run's log through the log API, by byte offset, so a
 * retry of stored bytes is a no-op: nothing lost, nothing doubled. Bytes wait in memory;
 * while the server is away (or answers 5xx) they go to a spool file and are sent from it
 * when it is back. One append is in flight at a time, so bytes arrive in order.
 */
export class LogShipper {
  /** Bytes the server holds: the offset of the next append. */
  private stored = 0;
  /** Unsent bytes from `stored`, while not spooling. */
  private memory: Buffer[] = [];
  private memorySize = 0;
  /** While spooling: the log offset of the spool file's first byte; unsent = [stored, spoolStart + spool.size). */
  private spoolStart: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pumping: Promise<void> | null = null;
  private failures = 0;
  private refused = false;
  private closingBy: number | null = null;
  private wake: (() => void) | null = null;
  private readonly name: string;
  private readonly flushMs: number;
  private readonly chunkBytes: number;
  private readonly memoryBytes: number;

  constructor(private readonly opts: LogShipperOptions) {
    this.name = opts.name ?? 'std_log.txt';
    this.flushMs = opts.flushMs ?? 200;
    this.chunkBytes = opts.chunkBytes ?? 256 * 1024;
    this.memoryBytes = opts.memoryBytes ?? 8 * 1024 * 1024;
  }

  /** Bytes written and not yet stored by the server. */
  get unsent(): number {
    return this.spoolStart === null ? this.memorySize : this.spoolStart + this.opts.spool.size - this.stored;
  }

  /** The last append failed: the server is away. */
  get failing(): boolean {
    return this.failures > 0;
  }

  /** Gives up: unsent bytes are written to the spool file and left there; returns its path, or null when all was sent. */
  abandon(): string | null {
    if (this.unsent === 0 || this.refused) return null;
    this.spill();
    this.opts.spool.keep();
    return this.opts.spool.file;
  }

  write(bytes: Buffer): void {
    if (bytes.length === 0 || this.refused) return;
    if (this.spoolStart !== null) {
      this.opts.spool.append(bytes);
    } else {
      this.memory.push(bytes);
      this.memorySize += bytes.length;
      if (this.memorySize > this.memoryBytes) this.spill();
    }
    this.schedule();
  }

  /**
   * Sends everything left, retrying until `deadline` (ms since epoch). Returns how many
   * bytes could not be sent; they stay in the spool file, whose path it gives.
   */
  async close(deadline: number): Promise<{ unsent: number; spoolFile: string | null }> {
    this.closingBy = deadline;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wake?.();
    while (this.unsent > 0 && !this.refused && Date.now() < deadline) {
      this.pump();
      await this.pumping;
    }
    await this.pumping;
    if (this.unsent > 0 && !this.refused) {
      this.spill();
      this.opts.spool.keep();
      return { unsent: this.unsent, spoolFile: this.opts.spool.file };
    }
    this.opts.spool.remove();
    return { unsent: 0, spoolFile: null };
  }

  private schedule(): void {
    if (this.pumping || this.closingBy !== null) return;
    if (this.unsent >= this.chunkBytes) this.pump();
    else this.timer ??= setTimeout(() => this.pump(), this.flushMs);
  }

  private pump(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pumping) return;
    this.pumping = this.drain().finally(() => {
      this.pumping = null;
      if (this.unsent > 0 && !this.refused) this.schedule();
    });
  }

  private async drain(): Promise<void> {
    while (this.unsent > 0 && !this.refused) {
      const offset = this.stored;
      const bytes = this.peek(this.chunkBytes);
      const sent = await this.send(offset, bytes);
      if (sent.kind === 'stored') {
        if (this.failures > 0) this.opts.warn(`the server is back; sending the log output kept meanwhile.`);
        this.failures = 0;
        this.consume(bytes.length);
        // Batch: unless closing, a small remainder waits for the next flush.
        if (this.closingBy === null && this.unsent < this.chunkBytes) return;
      } else if (sent.kind === 'conflict') {
        this.resync(offset, sent.size);
      } else if (sent.kind === 'refused') {
        this.opts.warn(`the server refused the run's log (${sent.message}); output is no longer stored.`);
        this.refused = true;
        this.memory = [];
        this.memorySize = 0;
      } else {
        this.spill();
        if (this.failures === 0) this.opts.warn(`cannot reach the server; log output is kept in ${this.opts.spool.file} and sent when it is back.`);
        const wait = backoffMs(this.failures++);
        if (this.closingBy !== null && Date.now() + wait > this.closingBy) return;
        await this.pause(wait);
      }
    }
  }

  private async send(offset: number, bytes: Buffer): Promise<Sent> {
    try {
      const response = await this.opts.api.fetch(`/api/studio/runs/${this.opts.runId}/logs/${this.name}?offset=${offset}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: new Uint8Array(bytes),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await response.json().catch(() => null)) as { size?: unknown; message?: unknown } | null;
      if (response.ok) return { kind: 'stored' };
      if (response.status === 409 && typeof body?.size === 'number') return { kind: 'conflict', size: body.size };
      if (response.status >= 500 || response.status === 429) return { kind: 'retry' };
      return { kind: 'refused', message: typeof body?.message === 'string' ? body.message : `HTTP ${response.status}` };
    } catch {
      return { kind: 'retry' };
    }
  }

  /**
   * The server holds `size` bytes, not `offset`. Our own bytes never conflict (a resend of
   * stored bytes is a no-op), so these are someone else's appends, or the server lost bytes
   * it had stored (a crash before they reached the disk); ours are gone from memory by then.
   * Neither can be mended: our output goes on from the server's size, and the user is told.
   */
  private resync(offset: number, size: number): void {
    this.opts.warn(
      size > offset
        ? `another writer appended to ${this.name}; this run's output goes on after it.`
        : `the server holds ${size} bytes of ${this.name}, fewer than the ${offset} it had stored; output goes on from there.`,
    );
    const shift = size - this.stored;
    this.stored = size;
    if (this.spoolStart !== null) this.spoolStart += shift;
  }

  /** Up to `n` unsent bytes from the front, without removing them. */
  private peek(n: number): Buffer {
    if (this.spoolStart !== null) return this.opts.spool.read(this.stored - this.spoolStart, n);
    const parts: Buffer[] = [];
    let size = 0;
    for (const chunk of this.memory) {
      if (size >= n) break;
      const part = chunk.subarray(0, n - size);
      parts.push(part);
      size += part.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
  }

  /** The server stored `n` more bytes: drop them from the front. */
  private consume(n: number): void {
    this.stored += n;
    if (this.spoolStart !== null) {
      if (this.stored >= this.spoolStart + this.opts.spool.size) {
        this.opts.spool.remove();
        this.spoolStart = null;
      }
      return;
    }
    this.memorySize -= n;
    while (n > 0) {
      const first = this.memory[0]!;
      if (first.length <= n) {
        this.memory.shift();
        n -= first.length;
      } else {
        this.memory[0] = first.subarray(n);
        n = 0;
      }
    }
  }

  /** Moves the unsent bytes to the spool file; later writes go there until it drains. */
  private spill(): void {
    if (this.spoolStart !== null) return;
    this.spoolStart = this.stored;
    for (const chunk of this.memory) this.opts.spool.append(chunk);
    this.memory = [];
    this.memorySize = 0;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
