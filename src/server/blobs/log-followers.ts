import type { FollowerSink } from './log-follower.js';
import { LogHub } from './log-hub.js';

export type { FollowerSink } from './log-follower.js';

/** The live tails of all logs: one hub per followed log, closed when its last follower leaves. */
export class LogFollowers {
  private readonly hubs = new Map<string, LogHub>();
  private open = 0;
  private ended = false;

  constructor(
    /** Subscribes to the in-process appends of a log file; returns the unsubscribe. */
    private readonly onAppend: (file: string, listener: () => void) => () => void,
  ) {}

  /** Open streams, all logs together. */
  get count(): number {
    return this.open;
  }

  /** Whether someone follows `file` now. */
  has(file: string): boolean {
    return this.hubs.has(file);
  }

  /** Sends `file` from byte `from` to `sink`, then every append; returns the unsubscribe. */
  follow(file: string, from: number, sink: FollowerSink, onError: (error: unknown) => void): () => void {
    if (this.ended) {
      sink.destroy();
      return () => undefined;
    }
    let hub = this.hubs.get(file);
    if (!hub) {
      hub = new LogHub(file, (listener) => this.onAppend(file, listener));
      this.hubs.set(file, hub);
    }
    const leave = hub.add(from, sink, onError);
    this.open += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.open -= 1;
      leave();
      if (hub.size === 0) {
        hub.close();
        this.hubs.delete(file);
      }
    };
  }

  /** Ends every stream, and any that starts later (the server is closing: open tails would keep it waiting). */
  closeAll(): void {
    this.ended = true;
    for (const hub of this.hubs.values()) hub.endAll();
  }

  /** Each followed log with its followers and whether its watcher is up (for tests and ops). */
  list(): Array<{ file: string; followers: number; watching: boolean }> {
    return [...this.hubs].map(([file, hub]) => ({ file, followers: hub.size, watching: hub.watching }));
  }
}
