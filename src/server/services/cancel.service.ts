import type { RunInfo } from '../../shared/mlflow/types.js';
import { ApiError, notFound } from '../errors.js';
import { findRunRow, toRunInfo } from '../store/runs.store.js';
import type { Deps } from './deps.js';
import { isRunId } from './validation.js';

/**
 * Cancels a run. A run with no launcher attached (nothing can stop its process for us)
 * is set KILLED with an end time at once; the launcher issue extends this for launched runs.
 */
export async function cancelRun(deps: Deps, runId: string): Promise<RunInfo> {
  if (!isRunId(runId)) throw notFound(`Run with id=${runId} not found`);
  return deps.db.write(async (trx) => {
    const run = await findRunRow(trx, runId);
    if (run.lifecycle_stage !== 'active') throw new ApiError('INVALID_STATE', `Run ${runId} is deleted; restore it before cancelling.`);
    if (run.status !== 'RUNNING' && run.status !== 'SCHEDULED') {
      throw new ApiError('INVALID_STATE', `Run ${runId} has already ended (${run.status}); only a queued or running run can be cancelled.`);
    }
    const endTime = deps.now();
    await trx.updateTable('runs').set({ status: 'KILLED', end_time: endTime }).where('run_uuid', '=', runId).execute();
    return toRunInfo({ ...run, status: 'KILLED', end_time: endTime });
  });
}
