import type { FastifyInstance } from 'fastify';
import * as schemas from '../../../shared/mlflow/schemas.js';
import type { Deps } from '../../services/deps.js';
import * as runs from '../../services/runs.service.js';
import { parse } from '../../parse.js';

/** MLflow runs and metrics endpoints; registered under each MLflow prefix. */
export function runRoutes(app: FastifyInstance, deps: Deps): void {
  app.post('/runs/create', async (req) => ({ run: await runs.createRun(deps, parse(schemas.createRunBody, req.body)) }));
  app.get('/runs/get', async (req) => ({ run: await runs.getRun(deps, parse(schemas.runIdQuery, req.query).run_id) }));
  app.post('/runs/update', async (req) => ({ run_info: await runs.updateRun(deps, parse(schemas.updateRunBody, req.body)) }));
  app.post('/runs/delete', async (req) => {
    await runs.deleteRun(deps, parse(schemas.runIdQuery, req.body).run_id);
    return {};
  });
  app.post('/runs/restore', async (req) => {
    await runs.restoreRun(deps, parse(schemas.runIdQuery, req.body).run_id);
    return {};
  });
  app.post('/runs/search', async (req) => runs.searchRuns(deps, parse(schemas.searchRunsBody, req.body)));
  app.get('/runs/search', async (req) => runs.searchRuns(deps, parse(schemas.searchRunsBody, req.query)));
  app.post('/runs/log-metric', async (req) => {
    const { run_id, ...metric } = parse(schemas.logMetricBody, req.body);
    await runs.logBatch(deps, { run_id, metrics: [metric], params: [], tags: [] });
    return {};
  });
  app.post('/runs/log-parameter', async (req) => {
    const { run_id, key, value } = parse(schemas.logParamBody, req.body);
    await runs.logBatch(deps, { run_id, metrics: [], params: [{ key, value }], tags: [] });
    return {};
  });
  app.post('/runs/set-tag', async (req) => {
    const { run_id, key, value } = parse(schemas.setTagBody, req.body);
    await runs.logBatch(deps, { run_id, metrics: [], params: [], tags: [{ key, value }] });
    return {};
  });
  app.post('/runs/delete-tag', async (req) => {
    const { run_id, key } = parse(schemas.deleteTagBody, req.body);
    await runs.deleteTag(deps, run_id, key);
    return {};
  });
  app.post('/runs/log-batch', async (req) => {
    await runs.logBatch(deps, parse(schemas.logBatchBody, req.body));
    return {};
  });
  app.get('/metrics/get-history', async (req) => runs.getMetricHistory(deps, parse(schemas.metricHistoryQuery, req.query)));
}
