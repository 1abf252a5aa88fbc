import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import { modelArtifactPath } from '../../services/artifacts.service.js';
import type { Deps } from '../../services/deps.js';
import * as models from '../../services/logged-models.service.js';
import { route } from '../define-route.js';

const e = endpoints.mlflow.models;

/** MLflow 3's logged models and runs/outputs; registered under each MLflow prefix. */
export function loggedModelRoutes(app: FastifyInstance, deps: Deps): void {
  route(app, e.create, async ({ body }) => ({ model: await models.createLoggedModel(deps, body) }));
  route(app, e.search, async ({ body }) => models.searchLoggedModels(deps, body));
  route(app, e.get, async ({ params }) => ({ model: await models.getLoggedModel(deps, params.model_id) }));
  route(app, e.finalize, async ({ params, body }) => ({ model: await models.finalizeLoggedModel(deps, params.model_id, body.status) }));
  route(app, e.delete, async ({ params }) => {
    await models.deleteLoggedModel(deps, params.model_id);
    return {};
  });
  route(app, e.setTags, async ({ params, body }) => {
    await models.setLoggedModelTags(deps, params.model_id, body.tags);
    return {};
  });
  route(app, e.deleteTag, async ({ params }) => {
    await models.deleteLoggedModelTag(deps, params.model_id, params.tag_key);
    return {};
  });
  route(app, e.logParams, async ({ params, body }) => {
    await models.logLoggedModelParams(deps, params.model_id, body.params);
    return {};
  });
  route(app, e.listArtifacts, async ({ params, query }) => {
    const { rootUri, root, segments } = await modelArtifactPath(deps, params.model_id, query.artifact_directory_path);
    return { root_uri: rootUri, files: await deps.artifacts.list(segments, root) };
  });
  route(app, e.logOutputs, async ({ body }) => {
    await models.logOutputs(deps, body);
    return {};
  });
}
