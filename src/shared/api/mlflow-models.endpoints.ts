import { z } from 'zod';
import * as models from '../mlflow/logged-models.js';
import { artifactEntrySchema } from '../mlflow/types.js';
import { endpoint } from './endpoint.js';
import { emptyResponse } from './params.js';

/** MLflow 3's logged models and a run's outputs (mlflow/protos/service.proto). */
export const mlflowModels = {
  create: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/logged-models', body: models.createLoggedModelBody, response: models.loggedModelResponse }),
  get: endpoint({ method: 'GET', access: 'reader', base: 'mlflow', path: '/logged-models/:model_id', params: models.loggedModelIdParams, response: models.loggedModelResponse }),
  /** Finalize: the status the upload ended in (READY, UPLOAD_FAILED). */
  finalize: endpoint({
    method: 'PATCH',
    access: 'contributor',
    base: 'mlflow',
    path: '/logged-models/:model_id',
    params: models.loggedModelIdParams,
    body: models.finalizeLoggedModelBody,
    response: models.loggedModelResponse,
  }),
  delete: endpoint({ method: 'DELETE', access: 'contributor', base: 'mlflow', path: '/logged-models/:model_id', params: models.loggedModelIdParams, response: emptyResponse }),
  search: endpoint({ method: 'POST', access: 'reader', base: 'mlflow', path: '/logged-models/search', body: models.searchLoggedModelsBody, response: models.searchLoggedModelsResponse }),
  setTags: endpoint({
    method: 'PATCH',
    access: 'contributor',
    base: 'mlflow',
    path: '/logged-models/:model_id/tags',
    params: models.loggedModelIdParams,
    body: models.setLoggedModelTagsBody,
    response: emptyResponse,
  }),
  deleteTag: endpoint({ method: 'DELETE', access: 'contributor', base: 'mlflow', path: '/logged-models/:model_id/tags/:tag_key', params: models.loggedModelTagParams, response: emptyResponse }),
  logParams: endpoint({
    method: 'POST',
    access: 'contributor',
    base: 'mlflow',
    path: '/logged-models/:model_id/params',
    params: models.loggedModelIdParams,
    body: models.logLoggedModelParamsBody,
    response: emptyResponse,
  }),
  /** A directory of the model's artifacts (MLflow UI's ListLoggedModelArtifacts). */
  listArtifacts: endpoint({
    method: 'GET',
    access: 'reader',
    base: 'mlflow',
    path: '/logged-models/:model_id/artifacts/directories',
    params: models.loggedModelIdParams,
    query: models.listLoggedModelArtifactsQuery,
    response: z.object({ root_uri: z.string(), files: z.array(artifactEntrySchema).optional(), next_page_token: z.string().optional() }),
  }),
  logOutputs: endpoint({ method: 'POST', access: 'contributor', base: 'mlflow', path: '/runs/outputs', body: models.logOutputsBody, response: emptyResponse }),
};
