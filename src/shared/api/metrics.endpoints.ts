import { z } from 'zod';
import { metricSeriesBody, metricSeriesSchema } from '../studio/metrics.js';
import { endpoint } from './endpoint.js';

/** Downsampled metric series for charts, many runs and keys in one call. */
export const metrics = {
  series: endpoint({ method: 'POST', access: 'reader', base: 'studio', path: '/metrics/series', body: metricSeriesBody, response: z.object({ series: z.array(metricSeriesSchema) }) }),
};
