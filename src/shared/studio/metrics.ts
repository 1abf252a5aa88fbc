import { z } from 'zod';

export const metricSeriesBody = z.object({
  runIds: z.array(z.string()).min(1).max(100),
  keys: z.array(z.string().min(1).max(250)).min(1).max(50),
  /** The most points per series; longer histories are downsampled. */
  maxPoints: z.number().int().min(10).max(10_000).optional().default(1000),
  x: z.enum(['step', 'time']).optional().default('step'),
});
export type MetricSeriesRequest = z.input<typeof metricSeriesBody>;

export interface SeriesPoint {
  step: number;
  timestamp: number;
  /** null where the value is NaN or infinite (a chart cannot draw it). */
  value: number | null;
}

export interface MetricSeries {
  runId: string;
  key: string;
  /** How many points the run logged for this key. */
  total: number;
  downsampled: boolean;
  points: SeriesPoint[];
}
