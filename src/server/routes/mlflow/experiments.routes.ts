import type { FastifyInstance } from 'fastify';
import * as schemas from '../../../shared/mlflow/schemas.js';
import type { Deps } from '../../services/deps.js';
import * as experiments from '../../services/experiments.service.js';
import { parse } from '../../parse.js';

/** MLflow experiments endpoints; registered under each MLflow prefix. */
export function experimentRoutes(app: FastifyInstance, deps: Deps): void {
  app.post('/experiments/create', async (req) => {
    const body = parse(schemas.createExperimentBody, req.body);
    return { experiment_id: await experiments.createExperiment(deps, body) };
  });
  app.get('/experiments/get', async (req) => {
    const { experiment_id } = parse(schemas.experimentIdBody, req.query);
    return { experiment: await experiments.getExperiment(deps, experiment_id) };
  });
  app.get('/experiments/get-by-name', async (req) => {
    const { experiment_name } = parse(schemas.experimentByNameQuery, req.query);
    return { experiment: await experiments.getExperimentByName(deps, experiment_name) };
  });
  app.post('/experiments/search', async (req) => experiments.searchExperiments(deps, parse(schemas.searchExperimentsBody, req.body)));
  app.get('/experiments/search', async (req) => experiments.searchExperiments(deps, parse(schemas.searchExperimentsBody, req.query)));
  // MLflow 1.x's list, still called by older clients: search with only a view type.
  app.get('/experiments/list', async (req) => {
    const { view_type } = parse(schemas.searchExperimentsBody, req.query);
    return { experiments: (await experiments.searchExperiments(deps, { view_type })).experiments };
  });
  app.post('/experiments/update', async (req) => {
    const body = parse(schemas.updateExperimentBody, req.body);
    await experiments.renameExperiment(deps, body.experiment_id, body.new_name);
    return {};
  });
  app.post('/experiments/delete', async (req) => {
    await experiments.deleteExperiment(deps, parse(schemas.experimentIdBody, req.body).experiment_id);
    return {};
  });
  app.post('/experiments/restore', async (req) => {
    await experiments.restoreExperiment(deps, parse(schemas.experimentIdBody, req.body).experiment_id);
    return {};
  });
  app.post('/experiments/set-experiment-tag', async (req) => {
    const body = parse(schemas.setExperimentTagBody, req.body);
    await experiments.setExperimentTag(deps, body.experiment_id, body.key, body.value);
    return {};
  });
}
