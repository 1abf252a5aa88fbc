import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, EXIT } from '../api-client.js';

/** Whether a failed call may succeed later: the server is away, or answered 5xx. */
export function isTransient(error: unknown): boolean {
  if (error instanceof CliError) return error.exitCode === EXIT.unreachable || error.exitCode === EXIT.failure;
  return true;
}

/** The wait before retry number `attempt` (0-based): 250 ms doubling to 5 s. */
export function backoffMs(attempt: number): number {
  return Math.min(5000, 250 * 2 ** Math.min(attempt, 5));
}

/**
 * Calls `fn` until it succeeds, a non-transient error, or `deadline` (ms since epoch).
 * `onRetry` hears the first transient failure, so the user learns why the launcher waits.
 */
export async function withRetry<T>(fn: () => Promise<T>, deadline: number, onRetry?: (error: unknown) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const wait = backoffMs(attempt);
      if (!isTransient(error) || Date.now() + wait > deadline) throw error;
      if (attempt === 0) onRetry?.(error);
      await sleep(wait);
    }
  }
}
