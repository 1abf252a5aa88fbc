/** MLflow's run statuses and the words the studio shows for them. */
export const runStatuses = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const statusWords: Record<RunStatus, string> = {
  SCHEDULED: 'Queued',
  RUNNING: 'Running',
  FINISHED: 'Completed',
  FAILED: 'Failed',
  KILLED: 'Canceled',
};

export const terminalStatuses: ReadonlySet<RunStatus> = new Set(['FINISHED', 'FAILED', 'KILLED']);

/** Statuses of a run that is not over: it may still log, and Cancel or Mark as failed apply. */
export const liveStatuses = ['RUNNING', 'SCHEDULED'] as const satisfies readonly RunStatus[];

/** Whether a run with this status is queued or running. */
export function isLive(status: string): boolean {
  return (liveStatuses as readonly string[]).includes(status);
}

export function isRunStatus(value: string): value is RunStatus {
  return (runStatuses as readonly string[]).includes(value);
}
