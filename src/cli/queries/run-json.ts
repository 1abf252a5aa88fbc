import type { RunStatus } from '../../shared/run-status.js';
import type { StudioRun } from '../../shared/studio/runs.js';

/**
 * A run as the CLI prints it (`runs list` items, `runs show`, `runs update`): the shape
 * `--query` expressions are written against, so its keys are part of the CLI's contract.
 */
export interface RunJson {
  run_id: string;
  display_name: string;
  /** MLflow's status (RUNNING, FINISHED, …); tables show the studio's word for it. */
  status: RunStatus;
  experiment_id: string;
  experiment_name: string;
  submitter: string;
  compute_target: string | null;
  parent_run_id: string | null;
  start_time: string | null;
  end_time: string | null;
  description: string | null;
  /** The run's params. */
  properties: Record<string, string>;
  /** User tags only: `mlflow.*` and `runstudio.*` are system tags. A value-less tag is "". */
  tags: Record<string, string>;
  /** Latest value of each metric ("NaN", "Infinity" stay strings: JSON has no number for them). */
  metrics: Record<string, number | string>;
}

const NOTE_TAG = 'mlflow.note.content';
const COMPUTE_TAG = 'runstudio.compute';
const SYSTEM_TAG = /^(mlflow|runstudio)\./;

export function toRunJson(run: StudioRun): RunJson {
  return {
    run_id: run.runId,
    display_name: run.runName,
    status: run.status,
    experiment_id: run.experimentId,
    experiment_name: run.experimentName,
    submitter: run.userId,
    compute_target: run.tags[COMPUTE_TAG] ?? null,
    parent_run_id: run.parentRunId ?? null,
    start_time: isoTime(run.startTime),
    end_time: isoTime(run.endTime),
    description: run.tags[NOTE_TAG] ?? null,
    properties: sortedEntries(run.params),
    tags: sortedEntries(Object.fromEntries(Object.entries(run.tags).filter(([key]) => !SYSTEM_TAG.test(key)))),
    metrics: sortedEntries(Object.fromEntries(Object.entries(run.metrics).map(([key, metric]) => [key, metric.value]))),
  };
}

/** Epoch milliseconds as an ISO 8601 string; null when the server has none. */
export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

// Sorted so that the same run prints the same way every time, whatever order the store used.
function sortedEntries<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
