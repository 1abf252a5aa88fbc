import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import type { Deps } from '../../services/deps.js';
import * as runs from '../../services/runs.service.js';
import { route } from '../define-route.js';
import { actorOf } from '../../auth/principal.js';

const e = endpoints.mlflow.runs;

/** MLflow runs and metrics endpoints; registered under each MLflow prefix. */
export function runRoutes(app: FastifyInstance, deps: Deps): void {
  route(app, e.create, async ({ req, body }) => ({ run: await runs.createRun(deps, body, actorOf(req.principal)) }));
  route(app, e.get, async ({ query }) => ({ run: await runs.getRun(deps, query.run_id) }));
  route(app, e.update, async ({ req, body }) => ({ run_info: await runs.updateRun(deps, body, actorOf(req.principal)) }));
  route(app, e.delete, async ({ req, body }) => {
    await runs.deleteRun(deps, body.run_id, actorOf(req.principal));
    return {};
  });
  route(app, e.restore, async ({ req, body }) => {
    await runs.restoreRun(deps, body.run_id, actorOf(req.principal));
    return {};
  });
  route(app, e.search, async ({ body }) => runs.searchRuns(deps, body));
  route(app, e.searchGet, async ({ query }) => runs.searchRuns(deps, query));
  route(app, e.logMetric, async ({ body: { run_id, ...metric } }) => {
    await runs.logBatch(deps, { run_id, metrics: [metric], params: [], tags: [] });
    return {};
  });
  route(app, e.logParameter, async ({ body: { run_id, key, value } }) => {
    await runs.logBatch(deps, { run_id, metrics: [], params: [{ key, value }], tags: [] });
    return {};
  });
  route(app, e.setTag, async ({ req, body: { run_id, key, value } }) => {
    await runs.setTag(deps, run_id, { key, value }, actorOf(req.principal));
    return {};
  });
  route(app, e.deleteTag, async ({ req, body }) => {
    await runs.deleteTag(deps, body.run_id, body.key, actorOf(req.principal));
    return {};
  });
  route(app, e.logBatch, async ({ req, body }) => {
    await runs.logBatch(deps, body, actorOf(req.principal));
    return {};
  });
  route(app, e.logInputs, async ({ body }) => {
    await runs.logInputs(deps, body);
    return {};
  });
  route(app, e.metricHistory, async ({ query }) => runs.getMetricHistory(deps, query));
}
