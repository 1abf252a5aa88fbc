import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import type { Deps } from '../../services/deps.js';
import * as experiments from '../../services/experiments.service.js';
import { route } from '../define-route.js';

const e = endpoints.mlflow.experiments;

/** MLflow experiments endpoints; registered under each MLflow prefix. */
export function experimentRoutes(app: FastifyInstance, deps: Deps): void {
  route(app, e.create, async ({ body }) => ({ experiment_id: await experiments.createExperiment(deps, body) }));
  route(app, e.get, async ({ query }) => ({ experiment: await experiments.getExperiment(deps, query.experiment_id) }));
  route(app, e.getByName, async ({ query }) => ({ experiment: await experiments.getExperimentByName(deps, query.experiment_name) }));
  route(app, e.search, async ({ body }) => experiments.searchExperiments(deps, body));
  route(app, e.searchGet, async ({ query }) => experiments.searchExperiments(deps, query));
  route(app, e.list, async ({ query }) => ({ experiments: (await experiments.searchExperiments(deps, { view_type: query.view_type })).experiments }));
  route(app, e.update, async ({ body }) => {
    await experiments.renameExperiment(deps, body.experiment_id, body.new_name);
    return {};
  });
  route(app, e.delete, async ({ body }) => {
    await experiments.deleteExperiment(deps, body.experiment_id);
    return {};
  });
  route(app, e.restore, async ({ body }) => {
    await experiments.restoreExperiment(deps, body.experiment_id);
    return {};
  });
  route(app, e.setTag, async ({ body }) => {
    await experiments.setExperimentTag(deps, body.experiment_id, body.key, body.value);
    return {};
  });
}
