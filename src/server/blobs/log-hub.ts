import { nextEvent } from './log-events.js';
import { Follower, type FollowerSink } from './log-follower.js';
import { fileSize, readRange } from './log-files.js';
import { LogWatcher } from './log-watcher.js';
import { completePrefix } from './utf8.js';

const TICK_MS = 5000;
const KEEP_ALIVE = Buffer.from(': keep-alive\n\n');

/**
 * The followers of one log. One watcher (and one timer, for file systems whose events get
 * lost) notices growth; the new bytes are read once and the same event is written to every
 * follower that is caught up. A follower that is behind reads its own events from disk,
 * so a slow client holds at most one event in memory.
 */
export class LogHub {
  private readonly followers = new Set<Follower>();
  /** Bytes sent as shared events, ending on a character boundary; null until the hub has looked at the file. */
  private head: number | null = null;
  private readonly watcher: LogWatcher;
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private starting = true;
  private reading = false;
  private again = false;
  private ticks = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    onAppend: (listener: () => void) => () => void,
  ) {
    this.unsubscribe = onAppend(() => this.check());
    this.watcher = new LogWatcher(file, () => this.check());
    this.timer = setInterval(() => this.tick(), TICK_MS).unref();
    this.start().catch((error: unknown) => this.fail(error));
  }

  get size(): number {
    return this.followers.size;
  }

  get watching(): boolean {
    return this.watcher.active;
  }

  add(from: number, sink: FollowerSink, onError: (error: unknown) => void): () => void {
    const follower = new Follower(sink, from, this.file, () => this.head, onError);
    this.followers.add(follower);
    follower.catchUp(false);
    return () => {
      follower.closed = true;
      this.followers.delete(follower);
    };
  }

  endAll(): void {
    for (const follower of this.followers) follower.sink.destroy();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.watcher.close();
    this.unsubscribe();
  }

  private async start(): Promise<void> {
    try {
      const size = await fileSize(this.file);
      const tail = await readRange(this.file, Math.max(0, size - 4), size);
      this.head = size - tail.length + completePrefix(tail);
    } finally {
      this.starting = false;
    }
    for (const follower of this.followers) follower.catchUp(false);
    this.check();
  }

  /** Looks for growth the watcher missed; every third tick, keeps idle connections open. */
  private tick(): void {
    if (this.head === null && !this.starting) {
      // The first look at the file failed: look again.
      this.starting = true;
      this.start().catch((error: unknown) => this.fail(error));
      return;
    }
    this.check();
    this.ticks += 1;
    if (this.ticks % 3 !== 0) return;
    for (const follower of this.followers) {
      if (follower.live) follower.write(KEEP_ALIVE);
      else follower.catchUp(false);
    }
  }

  /** Reads what was appended since the head, once, for every caught-up follower. */
  check(): void {
    if (this.head === null || this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    this.broadcast().catch((error: unknown) => this.fail(error));
  }

  private async broadcast(): Promise<void> {
    try {
      do {
        this.again = false;
        const size = await fileSize(this.file);
        for (let event = await nextEvent(this.file, this.head!, size); event && !this.closed; event = await nextEvent(this.file, this.head, size)) {
          const from = this.head!;
          this.head = event.to;
          for (const follower of this.followers) follower.offer(from, event.to, event.data);
        }
      } while (this.again && !this.closed);
    } finally {
      this.reading = false;
    }
  }

  private fail(error: unknown): void {
    for (const follower of this.followers) follower.fail(error);
  }
}
