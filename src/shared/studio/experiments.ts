import { z } from 'zod';

/** An experiment as the studio lists it: MLflow's fields plus run count and last activity. */
export const studioExperimentSchema = z.object({
  experimentId: z.string(),
  name: z.string(),
  lifecycleStage: z.enum(['active', 'deleted']),
  creationTime: z.number(),
  lastUpdateTime: z.number(),
  runCount: z.number(),
  /** Start time of its newest run, or null when it has none. */
  lastRunTime: z.number().nullable(),
});
export type StudioExperiment = z.infer<typeof studioExperimentSchema>;

export const keysQuery = z.object({
  experimentIds: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').filter(Boolean) : [])),
});

export const keyValuesQuery = z.object({
  entity: z.enum(['param', 'tag', 'metric', 'user', 'compute']),
  key: z.string().max(250).optional().default(''),
  prefix: z.string().max(250).optional().default(''),
  experimentIds: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').filter(Boolean) : [])),
});

/** Keys that exist in the runs in scope, for the column picker and filter suggestions. */
export const runKeysSchema = z.object({
  metrics: z.array(z.string()),
  params: z.array(z.string()),
  tags: z.array(z.string()),
});
export type RunKeys = z.infer<typeof runKeysSchema>;
