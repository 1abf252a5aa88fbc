import { z } from 'zod';

/**
 * Datasets as run inputs (mlflow/protos/service.proto: LogInputs, DatasetInput, Dataset,
 * InputTag, RunInputs): the body of `runs/log-inputs` and the `inputs` of a run.
 */

/** The input tag that says what a dataset was used for ("training", "eval", …). */
export const DATASET_CONTEXT_TAG = 'mlflow.data.context';

/** MLflow's limits (mlflow/utils/validation.py), so a dataset logged here can move to MLflow. */
export const datasetLimits = {
  /** MAX_DATASETS_PER_BATCH */
  datasetsPerRequest: 1000,
  /** Runstudio's own bound: MLflow states none for the tags of one input. */
  tagsPerInput: 100,
  /** MAX_DATASET_NAME_SIZE */
  name: 500,
  /** MAX_DATASET_DIGEST_SIZE */
  digest: 36,
  /** MAX_DATASET_SOURCE_SIZE */
  source: 65_535,
  /** Runstudio's own bound: MLflow states none for the source type. */
  sourceType: 255,
  /** MAX_DATASET_SCHEMA_SIZE */
  schema: 1_048_575,
  /** MAX_DATASET_PROFILE_SIZE */
  profile: 16_777_215,
  /** MAX_INPUT_TAG_KEY_SIZE */
  tagKey: 255,
  /** MAX_INPUT_TAG_VALUE_SIZE */
  tagValue: 500,
} as const;

const bounded = (limit: number) => z.string().max(limit, `exceeds the maximum length of ${limit}`);
/** Proto2 optional: absent (or null) stays absent, so it is omitted again on the way out. */
const optionalBounded = (limit: number) =>
  bounded(limit)
    .nullish()
    .transform((v) => v ?? undefined);

const inputTagBody = z.object({ key: bounded(datasetLimits.tagKey), value: bounded(datasetLimits.tagValue) });

const datasetBody = z.object({
  name: bounded(datasetLimits.name),
  digest: bounded(datasetLimits.digest),
  source_type: bounded(datasetLimits.sourceType),
  source: bounded(datasetLimits.source),
  schema: optionalBounded(datasetLimits.schema),
  profile: optionalBounded(datasetLimits.profile),
});

const datasetInputBody = z.object({
  tags: z
    .array(inputTagBody)
    .max(datasetLimits.tagsPerInput, `at most ${datasetLimits.tagsPerInput} tags per dataset input`)
    .optional()
    .default([]),
  dataset: datasetBody,
});

/** `runs/log-inputs`: datasets, and (MLflow 3) the logged models the run used as inputs. */
export const logInputsBody = z.object({
  run_id: z.string().min(1, "Missing value for required parameter 'run_id'."),
  datasets: z
    .array(datasetInputBody)
    .max(datasetLimits.datasetsPerRequest, `a request can log at most ${datasetLimits.datasetsPerRequest} datasets`)
    .optional()
    .default([]),
  models: z
    .array(z.object({ model_id: z.string().max(64) }))
    .max(datasetLimits.datasetsPerRequest, `a request can log at most ${datasetLimits.datasetsPerRequest} models`)
    .optional()
    .default([]),
});
export type LogInputs = z.output<typeof logInputsBody>;

/** A dataset as a run's `inputs` show it; `schema` and `profile` are omitted when never sent. */
export const datasetSchema = z.object({
  name: z.string(),
  digest: z.string(),
  source_type: z.string(),
  source: z.string(),
  schema: z.string().optional(),
  profile: z.string().optional(),
});
export type Dataset = z.infer<typeof datasetSchema>;

/** `tags` is omitted when the input has none, as MLflow's JSON omits an empty list. */
export const datasetInputSchema = z.object({
  tags: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
  dataset: datasetSchema,
});
export type DatasetInput = z.infer<typeof datasetInputSchema>;

/** A run's `inputs`: `{}` for a run without datasets or model inputs, as MLflow answers. */
export const runInputsSchema = z
  .object({ dataset_inputs: z.array(datasetInputSchema).optional(), model_inputs: z.array(z.object({ model_id: z.string() })).optional() })
  .strict();
export type RunInputs = z.infer<typeof runInputsSchema>;
