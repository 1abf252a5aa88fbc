import type { QueryClient, QueryFilters } from '@tanstack/react-query';
import type { MetricSeriesRequest } from '../../../shared/studio/metrics.js';
import { runKeys } from '../query-keys.js';
import { reportError } from '../report-error.js';

/** Metric series (charts, the compare page) that plot any of these runs. */
export const seriesOf = (runIds: ReadonlySet<string>): QueryFilters => ({
  queryKey: runKeys.all,
  predicate: (query) => {
    const [, kind, request] = query.queryKey as [string, string, MetricSeriesRequest | undefined];
    return kind === 'series' && (request?.runIds ?? []).some((id) => runIds.has(id));
  },
});

/**
 * Invalidations asked for by run events. A query already fetching is not cancelled (under a
 * steady stream of events it would never finish): it is invalidated again once it is idle,
 * since what it is fetching may predate the event.
 */
export class EventInvalidations {
  private readonly waiting = new Map<string, QueryFilters>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: QueryClient,
    private readonly retryMs = 100,
  ) {}

  /** Invalidates what `filters` match now; `id` names the request, so asking twice while waiting asks once. */
  add(id: string, filters: QueryFilters): void {
    if (this.busy(filters)) this.wait(id, filters);
    else this.run(filters);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.waiting.clear();
  }

  private busy(filters: QueryFilters): boolean {
    return this.client.getQueryCache().findAll(filters).some((q) => q.state.fetchStatus === 'fetching');
  }

  private run(filters: QueryFilters): void {
    this.client.invalidateQueries(filters).catch(reportError);
  }

  private wait(id: string, filters: QueryFilters): void {
    this.waiting.set(id, filters);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const waiting = [...this.waiting];
      this.waiting.clear();
      for (const [key, f] of waiting) this.add(key, f);
    }, this.retryMs);
  }
}
