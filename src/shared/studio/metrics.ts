import { z } from 'zod';

export const metricSeriesBody = z.object({
  runIds: z.array(z.string()).min(1).max(100),
  keys: z.array(z.string().min(1).max(250)).min(1).max(50),
  /** The most points per series; longer histories are downsampled. */
  maxPoints: z.number().int().min(10).max(10_000).optional().default(1000),
  x: z.enum(['step', 'time']).optional().default('step'),
});
export type MetricSeriesRequest = z.input<typeof metricSeriesBody>;

export const seriesPointSchema = z.object({
  step: z.number(),
  timestamp: z.number(),
  /** null where the value is NaN or infinite (a chart cannot draw it). */
  value: z.number().nullable(),
});
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

export const metricSeriesSchema = z.object({
  runId: z.string(),
  key: z.string(),
  /** How many points the run logged for this key. */
  total: z.number(),
  downsampled: z.boolean(),
  points: z.array(seriesPointSchema),
});
export type MetricSeries = z.infer<typeof metricSeriesSchema>;
