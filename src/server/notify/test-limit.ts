import { ApiError } from '../errors.js';

/** "Send a test" goes out at once through the operator's SMTP server or to a webhook: a user may send this many a minute (per replica). */
export const TESTS_PER_MINUTE = 10;

/** The 429 of too many tests; `retryAfterSeconds` goes in the Retry-After header. */
export class TooManyTests extends ApiError {
  readonly retryAfterSeconds: number;
  constructor(waitMs: number) {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    super('REQUEST_LIMIT_EXCEEDED', `At most ${TESTS_PER_MINUTE} tests a minute: try again in ${seconds} seconds.`);
    this.retryAfterSeconds = seconds;
  }
}

/** Each user's tests in the last minute, as a sliding window. */
export class TestLimit {
  private readonly sent = new Map<string, number[]>();

  /** Counts a test by `user` at `now`, or throws TooManyTests when the minute is full. */
  take(user: string, now: number): void {
    const recent = (this.sent.get(user) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= TESTS_PER_MINUTE) throw new TooManyTests(recent[0]! + 60_000 - now);
    recent.push(now);
    this.sent.set(user, recent);
    // Forget users whose minute is over, so the map stays as small as the active users.
    if (this.sent.size > 1000) for (const [name, times] of this.sent) if (times.every((t) => t <= now - 60_000)) this.sent.delete(name);
  }
}
