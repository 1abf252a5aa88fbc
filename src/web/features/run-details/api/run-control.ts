import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { endpoints } from '../../../../shared/api/index.js';
import type { Run, RunInfo } from '../../../../shared/mlflow/types.js';
import { FAIL_REASON_TAG, type FailRunRequest, type RunControl } from '../../../../shared/studio/control.js';
import { api } from '../../../lib/api-client.js';
import { useLiveStreamUp } from '../../../lib/live/use-run-events.js';
import { count } from '../../../lib/format.js';
import { LIVE_REFRESH_MS, refreshRun } from '../../../lib/queries/run-queries.js';
import { runKeys } from '../../../lib/query-keys.js';
import { runDetailQueries } from './run-detail-queries.js';

/** The run's control state, re-read while the run is live (a cancel may be pending) and the run-event stream is down. */
export function useRunControl(runId: string, live: boolean) {
  const pushed = useLiveStreamUp();
  return useQuery({ ...runDetailQueries.control(runId), refetchInterval: live && !pushed ? LIVE_REFRESH_MS : false });
}

/** Writes what the server answered into the cached run, then refreshes every view of it. */
function useSettleRun(runId: string) {
  const queryClient = useQueryClient();
  return {
    apply: (info: RunInfo, tags: Record<string, string> = {}, control?: Partial<RunControl>) => {
      queryClient.setQueryData<Run>(runKeys.detail(runId), (run) =>
        run && { ...run, info, data: { ...run.data, tags: [...run.data.tags.filter((t) => !(t.key in tags)), ...Object.entries(tags).map(([key, value]) => ({ key, value }))] } },
      );
      if (control) queryClient.setQueryData(runDetailQueries.control(runId).queryKey, (before) => before && { ...before, ...control });
    },
    /** The run, its children and every list and compare page that shows it. */
    refresh: () => refreshRun(queryClient, runId),
  };
}

/**
 * Cancel. A run a launcher holds stays Running, shown "Cancel requested", until the
 * launcher has stopped its process and set it Canceled; any other run is Canceled at once.
 * Not optimistic: which of the two happens is the server's answer.
 */
export function useCancelRun(runId: string) {
  const settle = useSettleRun(runId);
  return useMutation({
    mutationFn: () => api(endpoints.control.cancel, { params: { id: runId } }),
    onSuccess: (response) => {
      settle.apply(response.run_info, {}, { launched: response.launched, cancelRequested: response.cancelRequested });
      if (response.childrenCancelled > 0) toast.success(`${count(response.childrenCancelled)} child run${response.childrenCancelled === 1 ? ' was' : 's were'} canceled too.`);
    },
    onSettled: settle.refresh,
  });
}

/** "Mark as failed", with an optional reason the server keeps in the run's tags. */
export function useFailRun(runId: string) {
  const settle = useSettleRun(runId);
  return useMutation({
    mutationFn: (reason: string) => {
      const body: FailRunRequest = reason.trim() === '' ? {} : { reason: reason.trim() };
      return api(endpoints.control.fail, { params: { id: runId }, body });
    },
    onSuccess: (response, reason) => settle.apply(response.run_info, reason.trim() === '' ? {} : { [FAIL_REASON_TAG]: reason.trim() }, { cancelRequested: false }),
    onSettled: settle.refresh,
  });
}
