import type { FastifyInstance } from 'fastify';
import { metricSeriesBody } from '../../../shared/studio/metrics.js';
import type { Deps } from '../../services/deps.js';
import { seriesFor } from '../../services/metric-series.service.js';
import { parse } from '../../parse.js';

export function studioMetricRoutes(app: FastifyInstance, deps: Deps): void {
  app.post('/metrics/series', async (req) => seriesFor(deps, parse(metricSeriesBody, req.body)));
}
