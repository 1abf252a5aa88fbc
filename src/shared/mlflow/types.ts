import { z } from 'zod';
import { runStatuses } from '../run-status.js';
import { runInputsSchema } from './datasets.js';

/**
 * Response shapes of the MLflow REST API, as MLflow's JSON writes them. Zod schemas so the
 * server can check what it sends (in development and tests) and the web what it reads.
 */
export const keyValueSchema = z.object({ key: z.string(), value: z.string() });
export type KeyValue = z.infer<typeof keyValueSchema>;

const lifecycleStage = z.enum(['active', 'deleted']);

export const experimentSchema = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string(),
  lifecycle_stage: lifecycleStage,
  creation_time: z.number(),
  last_update_time: z.number(),
  tags: z.array(keyValueSchema),
});
export type Experiment = z.infer<typeof experimentSchema>;

/** A number, or "NaN" / "Infinity" / "-Infinity" (proto3 JSON has no other way to write them). */
export const wireDouble = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);

export const metricSchema = z.object({
  key: z.string(),
  value: wireDouble,
  timestamp: z.number(),
  step: z.number(),
});
export type Metric = z.infer<typeof metricSchema>;

export const runInfoSchema = z.object({
  run_id: z.string(),
  run_uuid: z.string(),
  run_name: z.string(),
  experiment_id: z.string(),
  user_id: z.string(),
  status: z.enum(runStatuses),
  start_time: z.number(),
  end_time: z.number().optional(),
  artifact_uri: z.string(),
  lifecycle_stage: lifecycleStage,
});
export type RunInfo = z.infer<typeof runInfoSchema>;

/** A run's `outputs` (MLflow 3): `{}` for a run that produced no model, as MLflow answers. */
export const runOutputsSchema = z.object({ model_outputs: z.array(z.object({ model_id: z.string(), step: z.number() })).optional() }).strict();
export type RunOutputs = z.infer<typeof runOutputsSchema>;

/** `outputs` is in runs/get and runs/search, not in the answer to runs/create (as in MLflow 3). */
export const runSchema = z.object({
  info: runInfoSchema,
  data: z.object({ metrics: z.array(metricSchema), params: z.array(keyValueSchema), tags: z.array(keyValueSchema) }),
  inputs: runInputsSchema,
  outputs: runOutputsSchema.optional(),
});
export type Run = z.infer<typeof runSchema>;

/** One entry of `artifacts/list` and of the artifact proxy's listing. */
export const artifactEntrySchema = z.object({
  path: z.string(),
  is_dir: z.boolean(),
  file_size: z.number().optional(),
});
export type ArtifactEntry = z.infer<typeof artifactEntrySchema>;
