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

export function isRunStatus(value: string): value is RunStatus {
  return (runStatuses as readonly string[]).includes(value);
}
