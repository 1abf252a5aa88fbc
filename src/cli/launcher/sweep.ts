import { apiClient, resolveTrackingUri } from '../api-client.js';
import { ChildPool } from './child-pool.js';
import type { SweepParam } from './grid.js';
import { catchInterrupts } from './interrupts.js';
import type { LaunchResult } from './launch.js';
import { withRetry } from './retry.js';
import { attachControl, holdRun } from './run-control.js';
import { say } from './say.js';
import { createRun, launchTags, osUser, resolveExperiment } from './run-setup.js';
import { createChildren } from './sweep-children.js';

export interface SweepFlags {
  experiment?: string;
  name?: string;
  param: SweepParam[];
  parallel: number;
  grace: number;
  trackingUri?: string;
}

/**
 * `runstudio sweep`: a parent run, one child per point of the grid, at most `parallel`
 * launched at a time. The parent ends when its children do: FINISHED, FAILED if any
 * failed, KILLED when cancelled. Exit code 0 when every child finished, else 1 (130 after Ctrl-C).
 */
export async function sweepCommand(template: string[], flags: SweepFlags): Promise<void> {
  const interrupts = catchInterrupts();
  try {
    const trackingUri = resolveTrackingUri(flags.trackingUri);
    const api = apiClient(trackingUri);
    const cwd = process.cwd();
    const experimentId = await resolveExperiment(api, flags.experiment);
    const tags = await launchTags(template, cwd);
    const parentId = await createRun(api, experimentId, flags.name, [{ key: 'mlflow.user', value: osUser() }, ...tags]);
    say(`sweep ${parentId} started: ${trackingUri}/runs/${parentId}`);
    const pool = new ChildPool({ api, trackingUri, experimentId, graceMs: flags.grace, cwd });
    let endedStatus: string | null = null;
    interrupts.onInterrupt((signal) => pool.stop(signal === 'SIGINT' ? 'interrupt' : 'cancel'));
    let results: Array<LaunchResult | null>;
    const hold = (await attachControl(api, parentId, flags.grace, process.pid))
      ? holdRun(api, parentId, flags.grace, {
          onCancel: () => pool.stop('cancel'),
          onEnded: (status) => {
            endedStatus ??= status;
            pool.stop('ended');
          },
        })
      : null;
    try {
      const children = await createChildren(api, parentId, template, flags.param, tags);
      say(`${children.length} children, at most ${flags.parallel} at a time`);
      results = await pool.run(children, flags.parallel);
      // Children never launched (the sweep was stopped) are cancelled: KILLED unless already ended.
      await Promise.all(children.filter((_, i) => !results[i]).map((c) => api.json(`/api/studio/runs/${c.runId}/cancel`, { body: {} }).catch(() => undefined)));
    } catch (error) {
      pool.stop('cancel');
      await api.json('/api/2.0/mlflow/runs/update', { body: { run_id: parentId, status: 'FAILED', end_time: Date.now() } }).catch(() => undefined);
      throw error;
    } finally {
      hold?.stop();
    }
    const statuses = results.map((r) => r?.status ?? null);
    const status = endedStatus ?? (pool.stopped ? 'KILLED' : statuses.includes('FAILED') ? 'FAILED' : 'FINISHED');
    if (endedStatus === null) {
      const end = () => api.json('/api/2.0/mlflow/runs/update', { body: { run_id: parentId, status, end_time: Date.now() } });
      await withRetry(end, Date.now() + 30_000, () => say(`waiting up to 30 s for the server to record the end of sweep ${parentId}…`));
    }
    say(`sweep ${parentId} ended ${status}: ${statuses.filter((s) => s === 'FINISHED').length} of ${statuses.length} children finished`);
    const allFinished = !pool.stopped && statuses.every((s) => s === 'FINISHED');
    process.exitCode = pool.stopped === 'interrupt' ? 130 : allFinished ? 0 : 1;
  } finally {
    interrupts.dispose();
  }
}
