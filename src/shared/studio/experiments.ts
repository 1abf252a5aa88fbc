import { z } from 'zod';

/** An experiment as the studio lists it: MLflow's fields plus run count and last activity. */
export interface StudioExperiment {
  experimentId: string;
  name: string;
  lifecycleStage: 'active' | 'deleted';
  creationTime: number;
  lastUpdateTime: number;
  runCount: number;
  /** Start time of its newest run, or null when it has none. */
  lastRunTime: number | null;
}

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
export interface RunKeys {
  metrics: string[];
  params: string[];
  tags: string[];
}
