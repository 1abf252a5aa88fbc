import { z } from 'zod';
import { metricSchema } from './types.js';
import { idString, int64 } from './values.js';

/**
 * MLflow 3's logged models (mlflow/protos/service.proto: LoggedModel, LoggedModelInfo,
 * CreateLoggedModel, FinalizeLoggedModel, SearchLoggedModels, SetLoggedModelTags,
 * LogLoggedModelParamsRequest, LogOutputs): request bodies and response shapes.
 */

export const loggedModelStatuses = ['LOGGED_MODEL_STATUS_UNSPECIFIED', 'LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'] as const;
export type LoggedModelStatus = (typeof loggedModelStatuses)[number];

/** A model's status as the studio says it (the run table, the run page, the experiment's Models tab). */
export const modelStatusWords: Record<LoggedModelStatus, string> = {
  LOGGED_MODEL_STATUS_UNSPECIFIED: 'Unknown',
  LOGGED_MODEL_PENDING: 'Pending',
  LOGGED_MODEL_READY: 'Ready',
  LOGGED_MODEL_UPLOAD_FAILED: 'Upload failed',
};

/** What each status means for the model's files (a status's title). */
export const modelStatusHints: Record<LoggedModelStatus, string> = {
  LOGGED_MODEL_STATUS_UNSPECIFIED: 'The client did not say how the upload went',
  LOGGED_MODEL_PENDING: 'Its files are still being uploaded',
  LOGGED_MODEL_READY: 'Its files are uploaded',
  LOGGED_MODEL_UPLOAD_FAILED: 'The upload of its files failed: some may be missing',
};

/** Bounds on what one request may carry (MLflow's param and tag limits; Runstudio's own counts). */
export const loggedModelLimits = {
  name: 500,
  modelType: 500,
  key: 250,
  paramValue: 6000,
  tagValue: 8000,
  /** Params, or tags, in one request. */
  perRequest: 1000,
  /** Models in one runs/outputs or runs/log-inputs request. */
  modelsPerRequest: 1000,
  searchMaxResults: 1000,
  searchDefaultResults: 100,
  datasetsPerSearch: 100,
} as const;

/** A logged model id as the server issues them: `m-` and 32 hex digits. */
export const MODEL_ID_PATTERN = /^m-[0-9a-f]{32}$/;

const bounded = (limit: number) => z.string().max(limit, `exceeds the maximum length of ${limit}`);
const keyValues = (valueLimit: number) =>
  z
    .array(z.object({ key: bounded(loggedModelLimits.key).min(1, 'a key must not be empty'), value: bounded(valueLimit).optional().default('') }))
    .max(loggedModelLimits.perRequest, `at most ${loggedModelLimits.perRequest} per request`)
    .optional()
    .default([]);

export const createLoggedModelBody = z.object({
  experiment_id: idString,
  /** MLflow names a model without one at random, as it names runs. */
  name: bounded(loggedModelLimits.name).optional(),
  model_type: bounded(loggedModelLimits.modelType).optional(),
  source_run_id: z.string().max(64).optional(),
  params: keyValues(loggedModelLimits.paramValue),
  tags: keyValues(loggedModelLimits.tagValue),
});
export type CreateLoggedModel = z.output<typeof createLoggedModelBody>;

/** The model's id is in the path; the body may repeat it (MLflow's client does). */
export const finalizeLoggedModelBody = z.object({ model_id: z.string().optional(), status: z.enum(loggedModelStatuses) });
export const setLoggedModelTagsBody = z.object({ model_id: z.string().optional(), tags: keyValues(loggedModelLimits.tagValue) });
export const logLoggedModelParamsBody = z.object({ model_id: z.string().optional(), params: keyValues(loggedModelLimits.paramValue) });

/** `:model_id`: one that is not a model id is the same 404 as a model that does not exist. */
export const loggedModelIdParams = z.object({
  model_id: z.string().regex(MODEL_ID_PATTERN, { error: (issue) => `Logged model with ID '${String(issue.input).slice(0, 100)}' not found.` }),
});
export const loggedModelTagParams = loggedModelIdParams.extend({ tag_key: z.string().max(loggedModelLimits.key) });

const stringList = z.union([z.array(z.string()), z.string().transform((s) => [s])]);

export const searchLoggedModelsBody = z.object({
  experiment_ids: stringList.optional().default([]),
  filter: z.string().optional(),
  /** Metric filters and orders consider only points logged against these datasets. */
  datasets: z
    .array(z.object({ dataset_name: z.string().max(500), dataset_digest: z.string().max(36).optional() }))
    .max(loggedModelLimits.datasetsPerSearch, `at most ${loggedModelLimits.datasetsPerSearch} datasets`)
    .optional()
    .default([]),
  max_results: int64.optional(),
  order_by: z
    .array(
      z.object({
        field_name: z.string().min(1).max(1000),
        ascending: z.boolean().optional().default(true),
        dataset_name: z.string().max(500).optional(),
        dataset_digest: z.string().max(36).optional(),
      }),
    )
    .max(10, 'at most 10 order_by fields')
    .optional()
    .default([]),
  page_token: z.string().max(1000).optional(),
});
export type SearchLoggedModels = z.output<typeof searchLoggedModelsBody>;
export type SearchLoggedModelsRequest = z.input<typeof searchLoggedModelsBody>;

export const listLoggedModelArtifactsQuery = z.object({ artifact_directory_path: z.string().optional().default('') });

/** `runs/outputs`: the models a run produced, at a step. */
export const logOutputsBody = z.object({
  run_id: z.string().min(1, "Missing value for required parameter 'run_id'."),
  models: z
    .array(z.object({ model_id: z.string().max(64), step: int64.optional().default(0) }))
    .max(loggedModelLimits.modelsPerRequest, `a request can log at most ${loggedModelLimits.modelsPerRequest} models`)
    .optional()
    .default([]),
});
export type LogOutputs = z.output<typeof logOutputsBody>;

const keyValue = z.object({ key: z.string(), value: z.string() });

/** A metric as a logged model carries it: with its run, and the model and dataset it was logged for. */
export const modelMetricSchema = metricSchema.extend({
  dataset_name: z.string().optional(),
  dataset_digest: z.string().optional(),
  model_id: z.string().optional(),
  run_id: z.string().optional(),
});
export type ModelMetric = z.infer<typeof modelMetricSchema>;

/** Empty lists are omitted, as MLflow's JSON omits them (`tags`, `params`, `metrics`). */
export const loggedModelSchema = z.object({
  info: z.object({
    model_id: z.string(),
    experiment_id: z.string(),
    name: z.string(),
    creation_timestamp_ms: z.number(),
    last_updated_timestamp_ms: z.number(),
    artifact_uri: z.string(),
    status: z.enum(loggedModelStatuses),
    model_type: z.string(),
    source_run_id: z.string().optional(),
    tags: z.array(keyValue).optional(),
  }),
  data: z.object({ params: z.array(keyValue).optional(), metrics: z.array(modelMetricSchema).optional() }),
});
export type LoggedModel = z.infer<typeof loggedModelSchema>;

export const loggedModelResponse = z.object({ model: loggedModelSchema });
export const searchLoggedModelsResponse = z.object({ models: z.array(loggedModelSchema).optional(), next_page_token: z.string().optional() });
export type SearchLoggedModelsResponse = z.infer<typeof searchLoggedModelsResponse>;
