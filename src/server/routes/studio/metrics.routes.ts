import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import type { Deps } from '../../services/deps.js';
import { seriesFor } from '../../services/metric-series.service.js';
import { route } from '../define-route.js';

export function studioMetricRoutes(app: FastifyInstance, deps: Deps): void {
  route(app, endpoints.metrics.series, async ({ body }) => seriesFor(deps, body));
}
