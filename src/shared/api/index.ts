import type { EndpointDef } from './endpoint.js';
import { auth, tokens, users } from './auth.endpoints.js';
import { control } from './control.endpoints.js';
import { events } from './events.endpoints.js';
import { keys } from './keys.endpoints.js';
import { logs } from './logs.endpoints.js';
import { metrics } from './metrics.endpoints.js';
import { mlflowArtifacts } from './mlflow-artifacts.endpoints.js';
import { mlflowExperiments } from './mlflow-experiments.endpoints.js';
import { mlflowModels } from './mlflow-models.endpoints.js';
import { mlflowRuns } from './mlflow-runs.endpoints.js';
import { notifications } from './notifications.endpoints.js';
import { runs } from './runs.endpoints.js';
import { views } from './views.endpoints.js';

/**
 * The endpoint table: every endpoint of the studio API and of MLflow's that this server
 * answers, by resource. The server registers its routes from it; the web client and (in
 * time) the CLI call through it, so both sides read the same schemas.
 */
export const endpoints = {
  runs,
  control,
  events,
  logs,
  metrics,
  keys,
  views,
  auth,
  users,
  tokens,
  notifications,
  mlflow: { runs: mlflowRuns, experiments: mlflowExperiments, artifacts: mlflowArtifacts, models: mlflowModels },
};

export { apiBases, endpointName, endpointPath, queryString, type EndpointDef, type EndpointBody, type EndpointParams, type EndpointQuery, type EndpointResponse } from './endpoint.js';

/** Every endpoint of the table, for checks that must cover them all. */
export const allEndpoints: EndpointDef[] = [runs, control, events, logs, metrics, keys, views, auth, users, tokens, notifications, mlflowRuns, mlflowExperiments, mlflowArtifacts, mlflowModels].flatMap((group): EndpointDef[] => Object.values<EndpointDef>(group));
