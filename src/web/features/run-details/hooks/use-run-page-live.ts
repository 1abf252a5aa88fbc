import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { Run } from '../../../../shared/mlflow/types.js';
import { runStatuses, type RunStatus } from '../../../../shared/run-status.js';
import type { LogInfo } from '../../../../shared/studio/logs.js';
import type { RunEvent } from '../../../../shared/studio/events.js';
import { MAX_EVENT_SCOPE_RUNS } from '../../../../shared/studio/events.js';
import { EventInvalidations, seriesOf } from '../../../lib/live/run-event-queries.js';
import { useRunEvents } from '../../../lib/live/use-run-events.js';
import { modelKeys, runKeys } from '../../../lib/query-keys.js';
import { runDetailQueries } from '../api/run-detail-queries.js';

const isStatus = (status: string | undefined): status is RunStatus => (runStatuses as readonly string[]).includes(status ?? '');

/** A log grew: its new size in place; a log not listed yet means reading the list again. */
function patchLogs(logs: LogInfo[] | undefined, name: string, size: number): LogInfo[] | undefined {
  if (!logs?.some((l) => l.name === name)) return undefined;
  // A log only grows: replicas may tell of two appends out of order.
  return logs.map((l) => (l.name === name ? { ...l, size: Math.max(l.size, size) } : l));
}

/**
 * Keeps the run page current by push: one run-event stream for the run and the child runs
 * loaded on its Child runs tab (the server adds new children of runs in scope by their
 * parent). An event refreshes what it changed: the run (header, overview, latest metrics),
 * its control state, its metric charts, its log list, its models, its tree of children.
 * Returns whether the stream is up; while it is not, the page's queries poll (LiveStream).
 */
export function useRunPageLive(runId: string): boolean {
  const queryClient = useQueryClient();
  const invalidations = useMemo(() => new EventInvalidations(queryClient), [queryClient]);
  useEffect(() => () => invalidations.stop(), [invalidations]);
  // Only watches the tree the Child runs tab loads; never fetches it itself.
  const tree = useInfiniteQuery({ ...runDetailQueries.tree(runId), enabled: false });
  const childIds = useMemo(() => (tree.data?.pages.flatMap((p) => p.runs.map((r) => r.runId)) ?? []).slice(0, MAX_EVENT_SCOPE_RUNS - 1), [tree.data]);
  const scope = useMemo(() => ({ runs: [runId, ...childIds] }), [runId, childIds]);

  const add = (id: string, queryKey: readonly unknown[], exact = false) => invalidations.add(id, { queryKey, exact });
  const onRunEvent = (event: RunEvent) => {
    switch (event.kind) {
      case 'metrics':
        add('detail', runKeys.detail(runId), true);
        invalidations.add('series', seriesOf(new Set([runId])));
        break;
      case 'log': {
        const logs = queryClient.getQueryData<LogInfo[]>(runKeys.logs(runId));
        const patched = event.log !== undefined && event.size !== undefined ? patchLogs(logs, event.log, event.size) : undefined;
        if (patched) queryClient.setQueryData(runKeys.logs(runId), patched);
        else add('logs', runKeys.logs(runId), true);
        break;
      }
      case 'updated':
        if (event.fields?.includes('control')) add('control', runKeys.control(runId));
        if (event.fields?.includes('models')) add('models', modelKeys.lists());
        if (event.fields?.some((f) => f !== 'control' && f !== 'models') ?? true) {
          add('detail', runKeys.detail(runId), true);
          add('activity', runKeys.activity(runId));
        }
        break;
      case 'status':
        // Shown at once; the read that follows brings the end time.
        if (isStatus(event.status)) {
          const status = event.status;
          queryClient.setQueryData<Run>(runKeys.detail(runId), (run) => run && { ...run, info: { ...run.info, status } });
        }
        add('detail', runKeys.detail(runId), true);
        add('control', runKeys.control(runId));
        // Who cancelled or failed it.
        add('activity', runKeys.activity(runId));
        break;
      case 'deleted':
        add('detail', runKeys.detail(runId), true);
        break;
      case 'created':
        break;
    }
  };
  const onEvents = (events: RunEvent[]) => {
    for (const event of events) {
      if (event.runId === runId) onRunEvent(event);
      else if (event.kind === 'created' || event.kind === 'status' || event.kind === 'updated' || event.kind === 'deleted') {
        // A run of the tree below: the Child runs tab, and what Cancel says it will do.
        add('tree', runKeys.tree(runId));
        if (event.kind === 'created') add('has-children', runKeys.hasChildren(runId));
      }
    }
  };
  return useRunEvents(scope, {
    onEvents,
    onReset: () => {
      add('run', runKeys.detail(runId));
      invalidations.add('series', seriesOf(new Set([runId])));
      add('models', modelKeys.lists());
    },
    // What changed between the page's first read and the stream's opening.
    onFirstReady: () => {
      add('detail', runKeys.detail(runId), true);
      add('control', runKeys.control(runId));
      add('activity', runKeys.activity(runId));
    },
  });
}
