import type { Experiment, RunInfo } from '../../shared/mlflow/types.js';
import type { StudioRun, StudioSearchRunsRequest, StudioSearchRunsResponse } from '../../shared/studio/runs.js';
import { CliError, EXIT, type ApiClient } from '../api-client.js';

const SEARCH = '/api/studio/runs/search';
const PAGE_LIMIT = 1000;

/** Every run matching `search` (the whole tree: children too), newest first, following nextPageToken up to `max`. */
export async function searchRuns(client: ApiClient, search: Omit<StudioSearchRunsRequest, 'pageSize' | 'pageToken'>, max: number): Promise<StudioRun[]> {
  const runs: StudioRun[] = [];
  let pageToken: string | null = null;
  do {
    const body: StudioSearchRunsRequest = { parentRunId: '*', ...search, pageSize: Math.min(PAGE_LIMIT, max - runs.length), ...(pageToken ? { pageToken } : {}) };
    const page = await client.json<StudioSearchRunsResponse>(SEARCH, { body });
    runs.push(...page.runs);
    pageToken = page.nextPageToken;
  } while (pageToken && runs.length < max);
  return runs.slice(0, max);
}

/** One run, deleted or not, in the studio's shape; a missing one is EXIT.notFound. */
export async function getStudioRun(client: ApiClient, runId: string): Promise<StudioRun> {
  // Longer than any run id: the search would refuse it as invalid, but to a user it is simply not there.
  const page = runId.length > 64 ? { runs: [] } : await client.json<StudioSearchRunsResponse>(SEARCH, { body: { parentRunId: '*', runIds: [runId], viewType: 'ALL' } satisfies StudioSearchRunsRequest });
  const run = page.runs[0];
  if (!run) throw new CliError(`Run ID not found: ${runId}`, EXIT.notFound);
  return run;
}

/** A run's MLflow info (the status the launcher sets when it has stopped the process). */
export async function getRunInfo(client: ApiClient, runId: string): Promise<RunInfo> {
  const { run } = await client.json<{ run: { info: RunInfo } }>(`/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(runId)}`);
  return run.info;
}

/** Experiment ids for `--experiment-name`; an unknown name is EXIT.notFound, said plainly. */
export async function experimentIdsByName(client: ApiClient, names: string[]): Promise<string[]> {
  return Promise.all(
    names.map(async (name) => {
      try {
        const { experiment } = await client.json<{ experiment: Experiment }>(`/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`);
        return experiment.experiment_id;
      } catch (error) {
        if (error instanceof CliError && error.exitCode === EXIT.notFound) {
          throw new CliError(`Experiment '${name}' not found. List the experiments with: runstudio experiments list --output table`, EXIT.notFound);
        }
        throw error;
      }
    }),
  );
}
