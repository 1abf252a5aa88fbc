import { ApiError } from '../errors.js';

/** How long failed password checks are counted, from the first one. */
export const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
const MAX_KEYS = 10_000;

/**
 * Failed password checks per address and user name, in a fixed window: past `max` failures
 * further tries are refused until the window ends. Sign-in and basic auth share it, so a
 * guesser cannot go around the sign-in limit with `Authorization: Basic` on any endpoint;
 * successes are not counted, so signing in often is not guessing. Per replica (in memory).
 */
export class FailedAttempts {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly max: number,
    private readonly now: () => number,
  ) {}

  static key(address: string, name: string): string {
    return `${address}|${name.trim().toLowerCase().slice(0, 64)}`;
  }

  /** Milliseconds until this key may try again; 0 when it may now. */
  blockedFor(key: string): number {
    const entry = this.failures.get(key);
    const now = this.now();
    if (!entry || entry.until <= now) return 0;
    return entry.count >= this.max ? entry.until - now : 0;
  }

  /**
   * Counts a check as failed before it runs, so concurrent guesses cannot all pass
   * `blockedFor` first; the returned function takes it back once the check succeeds.
   */
  reserve(key: string): () => void {
    this.fail(key);
    return () => {
      const entry = this.failures.get(key);
      if (entry && entry.count > 0) entry.count -= 1;
    };
  }

  fail(key: string): void {
    const now = this.now();
    const entry = this.failures.get(key);
    if (entry && entry.until > now) {
      entry.count += 1;
      return;
    }
    if (this.failures.size >= MAX_KEYS) this.evict(now);
    this.failures.set(key, { count: 1, until: now + ATTEMPT_WINDOW_MS });
  }

  /** Drops ended windows; if every window is still open, the oldest one. */
  private evict(now: number): void {
    for (const [key, entry] of this.failures) if (entry.until <= now) this.failures.delete(key);
    if (this.failures.size >= MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }
}

/** In words, for a 429's message: "14 minutes", "40 seconds". */
function waitWords(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
}

/** The 429 of too many failed password checks; `retryAfterSeconds` goes in the Retry-After header. */
export class TooManyAttempts extends ApiError {
  readonly retryAfterSeconds: number;
  constructor(waitMs: number, who = 'this user from this address') {
    super('REQUEST_LIMIT_EXCEEDED', `Too many failed sign-ins for ${who}: try again in ${waitWords(waitMs)}.`);
    this.retryAfterSeconds = Math.ceil(waitMs / 1000);
  }
}

/** The 503 of too many password checks waiting at once (see Authenticator.checkPassword). */
export class ChecksBusy extends ApiError {
  readonly retryAfterSeconds = 2;
  constructor() {
    super('TEMPORARILY_UNAVAILABLE', 'Too many sign-ins are being checked at once: try again in a few seconds.');
  }
}
