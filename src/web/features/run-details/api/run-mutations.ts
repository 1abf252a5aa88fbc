import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import type { Run } from '../../../../shared/mlflow/types.js';
import { apiFetch } from '../../../lib/api-client.js';
import { runQueries } from '../../runs/api/run-queries.js';
import { runDetailQueries } from './run-detail-queries.js';

const ML = '/api/2.0/mlflow';

/**
 * Inline edits of a run are optimistic: the cached run changes at once, the change is
 * rolled back (and the server's message shown) if the server refuses it, and every
 * cached view of the run is refreshed once it settles.
 */
function useRunEdit<V>(runId: string, send: (v: V) => Promise<unknown>, apply: (run: Run, v: V) => Run) {
  const queryClient = useQueryClient();
  const key = runDetailQueries.detail(runId).queryKey;
  return useMutation({
    mutationFn: send,
    onMutate: async (v: V) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData(key);
      if (before) queryClient.setQueryData(key, apply(before, v));
      return { before };
    },
    onError: (error, _v, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before);
      toast.error(error.message);
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: runDetailQueries.all(runId) });
      void queryClient.invalidateQueries({ queryKey: runQueries.all() });
    },
  });
}

const withTag = (run: Run, key: string, value: string): Run => ({
  ...run,
  data: { ...run.data, tags: [...run.data.tags.filter((t) => t.key !== key), { key, value }].sort((a, b) => a.key.localeCompare(b.key)) },
});
const withoutTag = (run: Run, key: string): Run => ({ ...run, data: { ...run.data, tags: run.data.tags.filter((t) => t.key !== key) } });

export function useRenameRun(runId: string) {
  return useRunEdit<string>(
    runId,
    (name) => apiFetch(`${ML}/runs/update`, { body: { run_id: runId, run_name: name } }),
    (run, name) => withTag({ ...run, info: { ...run.info, run_name: name } }, 'mlflow.runName', name),
  );
}

export function useSetTag(runId: string) {
  return useRunEdit<{ key: string; value: string }>(
    runId,
    ({ key, value }) => apiFetch(`${ML}/runs/set-tag`, { body: { run_id: runId, key, value } }),
    (run, { key, value }) => withTag(run, key, value),
  );
}

export function useDeleteTag(runId: string) {
  return useRunEdit<string>(
    runId,
    (key) => apiFetch(`${ML}/runs/delete-tag`, { body: { run_id: runId, key } }),
    (run, key) => withoutTag(run, key),
  );
}
