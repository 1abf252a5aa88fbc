import { z } from 'zod';
import { logInputsBody } from '../mlflow/datasets.js';
import * as schemas from '../mlflow/schemas.js';
import { metricSchema, runInfoSchema, runSchema } from '../mlflow/types.js';
import { endpoint } from './endpoint.js';
import { emptyResponse } from './params.js';

const searchResponse = z.object({ runs: z.array(runSchema), next_page_token: z.string().optional() });

/** MLflow's runs and metrics endpoints (mlflow/protos/service.proto). */
export const mlflowRuns = {
  create: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/runs/create', body: schemas.createRunBody, response: z.object({ run: runSchema }) }),
  get: endpoint({ method: 'GET', access: 'reader', base: 'mlflow', path: '/runs/get', query: schemas.runIdQuery, response: z.object({ run: runSchema }) }),
  update: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/runs/update', body: schemas.updateRunBody, response: z.object({ run_info: runInfoSchema }) }),
  delete: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/runs/delete', body: schemas.runIdQuery, response: emptyResponse }),
  restore: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/runs/restore', body: schemas.runIdQuery, response: emptyResponse }),
  search: endpoint({ method: 'POST', access: 'reader', base: 'mlflow', path: '/runs/search', body: schemas.searchRunsBody, response: searchResponse }),
  searchGet: endpoint({ method: 'GET', access: 'reader', base: 'mlflow', path: '/runs/search', query: schemas.searchRunsBody, response: searchResponse }),
  logMetric: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/runs/log-metric', body: schemas.logMetricBody, response: emptyResponse }),
  logParameter: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/runs/log-parameter', body: schemas.logParamBody, response: emptyResponse }),
  setTag: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/runs/set-tag', body: schemas.setTagBody, response: emptyResponse }),
  deleteTag: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/runs/delete-tag', body: schemas.deleteTagBody, response: emptyResponse }),
  logBatch: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/runs/log-batch', body: schemas.logBatchBody, response: emptyResponse }),
  logInputs: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/runs/log-inputs', body: logInputsBody, response: emptyResponse }),
  metricHistory: endpoint({
    method: 'GET',
    access: 'reader',
    base: 'mlflow',
    path: '/metrics/get-history',
    query: schemas.metricHistoryQuery,
    response: z.object({ metrics: z.array(metricSchema), next_page_token: z.string().optional() }),
  }),
};
