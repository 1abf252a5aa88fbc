import { nextEvent } from './log-events.js';

/** Where a follower's events go: an HTTP response, in the server. */
export interface FollowerSink {
  write(chunk: Buffer | string): boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
  readonly destroyed: boolean;
  destroy(): void;
}

function drained(sink: FollowerSink): Promise<void> {
  if (sink.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      sink.off('drain', done);
      sink.off('close', done);
      resolve();
    };
    sink.once('drain', done);
    sink.once('close', done);
  });
}

/**
 * One live tail of a log. While it is live, its hub writes it the shared events; when it
 * is behind (a new follower, or a socket that stopped draining) it reads its own events
 * from disk, one at a time and only after 'drain', up to the hub's head.
 */
export class Follower {
  /** Bytes of the log written to the sink so far. */
  sent: number;
  /** Caught up and draining: gets the hub's shared events. */
  live = false;
  /** Reading its own events from disk (catching up, or waiting for 'drain'). */
  private busy = false;
  closed = false;

  constructor(
    readonly sink: FollowerSink,
    from: number,
    private readonly file: string,
    /** The bytes the hub has sent as shared events; null before it looked at the file. */
    private readonly head: () => number | null,
    private readonly onError: (error: unknown) => void,
  ) {
    this.sent = from;
  }

  /** Writes bytes [from, to) of a shared event, if they are the next this follower needs. */
  offer(from: number, to: number, data: Buffer): void {
    if (!this.live || this.sent !== from) return this.catchUp(false);
    this.sent = to;
    this.write(data);
  }

  /** Writes a shared chunk (an event, a keep-alive); past a full socket it catches up on its own. */
  write(data: Buffer): void {
    if (this.sink.write(data)) return;
    this.live = false;
    this.catchUp(true);
  }

  catchUp(afterDrain: boolean): void {
    if (this.busy || this.closed) return;
    this.busy = true;
    this.readOwn(afterDrain).catch((error: unknown) => this.fail(error));
  }

  /** A failed read ends this stream (the client reconnects), never the server. */
  fail(error: unknown): void {
    this.onError(error);
    this.sink.destroy();
  }

  private async readOwn(afterDrain: boolean): Promise<void> {
    try {
      if (afterDrain) await drained(this.sink);
      const gone = () => this.closed || this.sink.destroyed;
      for (let head = this.head(); !gone() && head !== null && this.sent < head; head = this.head()) {
        const event = await nextEvent(this.file, this.sent, head);
        if (!event) break;
        this.sent = event.to;
        if (!this.sink.write(event.data)) await drained(this.sink);
      }
      this.live = !gone() && this.sent === this.head();
    } finally {
      this.busy = false;
    }
  }
}
