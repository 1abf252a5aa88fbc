import { useQuery } from '@tanstack/react-query';
import { runDetailQueries } from './run-detail-queries.js';

/**
 * The run's activity (who renamed, described, tagged, cancelled or failed it), newest first.
 * Kept current by the run page's event stream (useRunPageLive invalidates it on `updated`
 * and `status`), not by polling.
 */
export function useRunActivity(runId: string) {
  return useQuery(runDetailQueries.activity(runId));
}
