import { z } from 'zod';
import { double, idString, int64 } from './values.js';

/** Request bodies of the MLflow tracking REST API 2.0 (mlflow/protos/service.proto). */

const keyValue = z.object({ key: z.string(), value: z.string().optional().default('') });
const tagList = z.array(keyValue).optional().default([]);
const viewType = z.enum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']).optional().default('ACTIVE_ONLY');
const stringList = z.union([z.array(z.string()), z.string().transform((s) => [s])]);

/** `run_id`, or the legacy `run_uuid` older clients send, whichever is present. */
const runRef = {
  run_id: z.string().optional(),
  run_uuid: z.string().optional(),
};
function withRunId<T extends { run_id?: string | undefined; run_uuid?: string | undefined }>(value: T, ctx: z.RefinementCtx) {
  const runId = value.run_id || value.run_uuid;
  if (!runId) {
    ctx.addIssue({ code: 'custom', path: ['run_id'], message: "Missing value for required parameter 'run_id'." });
    return z.NEVER;
  }
  return { ...value, run_id: runId };
}

export const createExperimentBody = z.object({
  name: z.string().min(1, 'experiment name must not be empty'),
  artifact_location: z.string().optional(),
  tags: tagList,
});

export const experimentIdBody = z.object({ experiment_id: idString });
export const experimentByNameQuery = z.object({ experiment_name: z.string().min(1) });

export const searchExperimentsBody = z.object({
  max_results: int64.optional(),
  page_token: z.string().optional(),
  filter: z.string().optional(),
  order_by: stringList.optional(),
  view_type: viewType,
});

export const updateExperimentBody = z.object({ experiment_id: idString, new_name: z.string().min(1) });
export const setExperimentTagBody = z.object({ experiment_id: idString, key: z.string(), value: z.string() });

export const createRunBody = z.object({
  experiment_id: idString.optional(),
  user_id: z.string().optional(),
  run_name: z.string().optional(),
  start_time: int64.optional(),
  tags: tagList,
});

export const runIdQuery = z.object(runRef).transform(withRunId);

export const runStatusEnum = z.enum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);

export const updateRunBody = z
  .object({ ...runRef, status: runStatusEnum.optional(), end_time: int64.optional(), run_name: z.string().optional() })
  .transform(withRunId);

export const searchRunsBody = z.object({
  experiment_ids: stringList.optional().default([]),
  filter: z.string().optional(),
  run_view_type: viewType,
  max_results: int64.optional(),
  order_by: stringList.optional(),
  page_token: z.string().optional(),
});

/** MLflow 3 may link a point to a logged model and to the dataset it was measured on. */
const metricLinks = {
  model_id: z.string().max(64).optional(),
  dataset_name: z.string().max(500).optional(),
  dataset_digest: z.string().max(36).optional(),
};

export const metricInput = z.object({
  key: z.string(),
  value: double,
  timestamp: int64,
  step: int64.optional().default(0),
  ...metricLinks,
});
export type MetricInput = z.output<typeof metricInput>;

export const logMetricBody = z
  .object({ ...runRef, key: z.string(), value: double, timestamp: int64, step: int64.optional().default(0), ...metricLinks })
  .transform(withRunId);
export const logParamBody = z.object({ ...runRef, key: z.string(), value: z.string() }).transform(withRunId);
export const setTagBody = z.object({ ...runRef, key: z.string(), value: z.string() }).transform(withRunId);
export const deleteTagBody = z.object({ ...runRef, key: z.string() }).transform(withRunId);

export const logBatchBody = z
  .object({
    ...runRef,
    metrics: z.array(metricInput).optional().default([]),
    params: z.array(z.object({ key: z.string(), value: z.string() })).optional().default([]),
    tags: tagList,
  })
  .transform(withRunId);
export type LogBatch = z.output<typeof logBatchBody>;

export const metricHistoryQuery = z
  .object({ ...runRef, metric_key: z.string().min(1), max_results: int64.optional(), page_token: z.string().optional() })
  .transform(withRunId);

/** `artifacts/list`: a directory of a run's artifacts (`path` relative to its root). */
export const artifactListQuery = z.object({ ...runRef, path: z.string().default('') }).transform(withRunId);
/** The artifact proxy's listing: a directory below the store's root. */
export const artifactProxyListQuery = z.object({ path: z.string().default('') });
