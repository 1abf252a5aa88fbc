/**
 * Runs work one at a time per key (a log file, say), in the order it was queued; a failure
 * does not stop what comes after. The queue of a quiet key is dropped, so the map holds only
 * keys with work in flight.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(work, work);
    const settled = next.catch(() => undefined);
    this.tails.set(key, settled);
    settled.finally(() => this.tails.get(key) === settled && this.tails.delete(key)).catch(() => undefined);
    return next;
  }
}
