import { z } from 'zod';
import * as schemas from '../mlflow/schemas.js';
import { experimentSchema } from '../mlflow/types.js';
import { endpoint } from './endpoint.js';
import { emptyResponse } from './params.js';

const experimentResponse = z.object({ experiment: experimentSchema });
const searchResponse = z.object({ experiments: z.array(experimentSchema), next_page_token: z.string().optional() });

/** MLflow's experiments endpoints (mlflow/protos/service.proto). */
export const mlflowExperiments = {
  create: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/experiments/create', body: schemas.createExperimentBody, response: z.object({ experiment_id: z.string() }) }),
  get: endpoint({ method: 'GET', access: 'reader', base: 'mlflow', path: '/experiments/get', query: schemas.experimentIdBody, response: experimentResponse }),
  getByName: endpoint({ method: 'GET', access: 'reader', base: 'mlflow', path: '/experiments/get-by-name', query: schemas.experimentByNameQuery, response: experimentResponse }),
  search: endpoint({ method: 'POST', access: 'reader', base: 'mlflow', path: '/experiments/search', body: schemas.searchExperimentsBody, response: searchResponse }),
  searchGet: endpoint({ method: 'GET', access: 'reader', base: 'mlflow', path: '/experiments/search', query: schemas.searchExperimentsBody, response: searchResponse }),
  /** MLflow 1.x's list, still called by older clients: search with only a view type. */
  list: endpoint({ method: 'GET', access: 'reader', base: 'mlflow', path: '/experiments/list', query: schemas.searchExperimentsBody, response: z.object({ experiments: z.array(experimentSchema) }) }),
  update: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/experiments/update', body: schemas.updateExperimentBody, response: emptyResponse }),
  delete: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/experiments/delete', body: schemas.experimentIdBody, response: emptyResponse }),
  restore: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/experiments/restore', body: schemas.experimentIdBody, response: emptyResponse }),
  setTag: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/experiments/set-experiment-tag', body: schemas.setExperimentTagBody, response: emptyResponse }),
};
