import { z } from 'zod';
import { artifactListQuery, artifactProxyListQuery } from '../mlflow/schemas.js';
import { artifactEntrySchema } from '../mlflow/types.js';
import { endpoint } from './endpoint.js';
import { emptyResponse } from './params.js';

const proxyPath = z.object({ '*': z.string() });

/** `artifacts/list` of the tracking API, and MLflow's artifact proxy (`mlflow-artifacts:/` URIs). */
export const mlflowArtifacts = {
  list: endpoint({
    method: 'GET',
    access: 'reader',
    base: 'mlflow',
    path: '/artifacts/list',
    query: artifactListQuery,
    response: z.object({ root_uri: z.string(), files: z.array(artifactEntrySchema).optional() }),
  }),
  proxyList: endpoint({ method: 'GET', access: 'reader', base: 'mlflowArtifacts', path: '/artifacts', query: artifactProxyListQuery, response: z.object({ files: z.array(artifactEntrySchema) }) }),
  /** Streams the raw body to the store, whatever its declared type. */
  upload: endpoint({ method: 'PUT', access: 'contributor', base: 'mlflowArtifacts', path: '/artifacts/*', params: proxyPath, accepts: 'any', response: emptyResponse }),
  /** The file's bytes; script-capable types only as attachments. */
  download: endpoint({ method: 'GET', access: 'reader', base: 'mlflowArtifacts', path: '/artifacts/*', params: proxyPath, kind: 'raw', response: null }),
};
