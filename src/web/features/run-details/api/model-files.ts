import { queryOptions } from '@tanstack/react-query';
import { endpoints } from '../../../../shared/api/index.js';
import { apiRaw, apiUrl } from '../../../lib/api-client.js';
import { modelKeys } from '../../../lib/query-keys.js';

/** A model file's place behind MLflow's artifact proxy: the model's root (its artifact_uri after `mlflow-artifacts:/`) and the file's path. */
const proxyPath = (artifactUri: string, path: string) => `${artifactUri.replace(/^mlflow-artifacts:\/+/, '')}/${path}`;

/** The download URL of one of a logged model's files. */
export const modelFileUrl = (artifactUri: string, path: string) => apiUrl(endpoints.mlflow.artifacts.download, { params: { '*': proxyPath(artifactUri, path) } });

/** One of a logged model's files as text, for its preview (`artifactUri` is the model's `info.artifact_uri`). */
export const modelFileText = (modelId: string, artifactUri: string, path: string) =>
  queryOptions({
    queryKey: modelKeys.artifactText(modelId, path),
    queryFn: ({ signal }) => apiRaw(endpoints.mlflow.artifacts.download, { params: { '*': proxyPath(artifactUri, path) }, signal }).then((r) => r.text()),
  });
