import { useMutation, useQueryClient } from '@tanstack/react-query';
import { endpoints } from '../../../../shared/api/index.js';
import type { Run } from '../../../../shared/mlflow/types.js';
import { api } from '../../../lib/api-client.js';
import { refreshRun } from '../../../lib/queries/run-queries.js';
import { runKeys } from '../../../lib/query-keys.js';

const ml = endpoints.mlflow.runs;

/**
 * Inline edits of a run are optimistic: the cached run changes at once, the change is
 * rolled back if the server refuses it (the app's toast shows its message, once), and
 * every cached view of the run, lists and the compare page included, is refreshed once
 * it settles.
 */
function useRunEdit<V>(runId: string, send: (v: V) => Promise<unknown>, apply: (run: Run, v: V) => Run) {
  const queryClient = useQueryClient();
  const key = runKeys.detail(runId);
  return useMutation({
    mutationFn: send,
    onMutate: async (v: V) => {
      await queryClient.cancelQueries({ queryKey: key, exact: true });
      const before = queryClient.getQueryData<Run>(key);
      if (before) queryClient.setQueryData(key, apply(before, v));
      return { before };
    },
    onError: (_error, _v, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before);
    },
    onSettled: () => refreshRun(queryClient, runId),
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
    (name) => api(ml.update, { body: { run_id: runId, run_name: name } }),
    (run, name) => withTag({ ...run, info: { ...run.info, run_name: name } }, 'mlflow.runName', name),
  );
}

export function useSetTag(runId: string) {
  return useRunEdit<{ key: string; value: string }>(
    runId,
    ({ key, value }) => api(ml.setTag, { body: { run_id: runId, key, value } }),
    (run, { key, value }) => withTag(run, key, value),
  );
}

export function useDeleteTag(runId: string) {
  return useRunEdit<string>(
    runId,
    (key) => api(ml.deleteTag, { body: { run_id: runId, key } }),
    (run, key) => withoutTag(run, key),
  );
}
