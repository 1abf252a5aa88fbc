import type { Query } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { IDLE_REFRESH_MS, notificationQueries, PENDING_REFRESH_MS } from './notification-queries.js';

type Interval = (query: Query<any, any, any, any>) => number | false | undefined;

/** The list's refetchInterval for a query in `status` holding rules whose last deliveries are given. */
function listInterval(status: 'success' | 'error', lasts: Array<{ state: string; nextAttemptAt: number | null } | null>) {
  const rules = lasts.map((last) => ({ deliveries: { pending: last?.state === 'pending' ? 1 : 0, sent: 0, failed: 0, last } }));
  const interval = notificationQueries.list().refetchInterval as Interval;
  return interval({ state: { status, data: { rules } } } as unknown as Query<any, any, any, any>);
}

describe('how often the rules page reads again', () => {
  it('reads at the idle pace with nothing pending, so a run that fails meanwhile shows up', () => {
    expect(listInterval('success', [null, { state: 'sent', nextAttemptAt: null }])).toBe(IDLE_REFRESH_MS);
  });

  it('reads soon after the next try of what is pending, within its bounds', () => {
    expect(listInterval('success', [{ state: 'pending', nextAttemptAt: Date.now() }])).toBe(PENDING_REFRESH_MS);
    const inTenSeconds = listInterval('success', [{ state: 'pending', nextAttemptAt: Date.now() + 10_000 }]) as number;
    expect(inTenSeconds).toBeGreaterThan(10_000);
    expect(inTenSeconds).toBeLessThan(11_000);
    expect(listInterval('success', [{ state: 'pending', nextAttemptAt: Date.now() + 3600_000 }])).toBe(IDLE_REFRESH_MS);
  });

  it('stops while the last read failed', () => {
    expect(listInterval('error', [{ state: 'pending', nextAttemptAt: Date.now() }])).toBe(false);
  });
});
