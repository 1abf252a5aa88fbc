import { z } from 'zod';

/** A run id as the server issues them (32 hex digits); anything else names no run. */
export const RUN_ID_PATTERN = /^[0-9a-f]{32}$/;

/** `:id` of a run: one that is not a run id is the same 404 as a run that does not exist. */
export const runIdParams = z.object({
  id: z.string().regex(RUN_ID_PATTERN, { error: (issue) => `Run with id=${String(issue.input)} not found` }),
});

/** `:id` and `:name` of one of a run's logs (the log store checks the name). */
export const runLogParams = runIdParams.extend({ name: z.string() });

/** Endpoints that answer nothing but success: `{}`, as MLflow does. */
export const emptyResponse = z.object({}).strict();
