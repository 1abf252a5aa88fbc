import { endpointPath } from '../../../../shared/api/endpoint.js';
import { endpoints } from '../../../../shared/api/index.js';
import type { WebTestServer } from '../../../test-support/server.js';

/** Seeds a run's inputs and outputs (datasets, logged models) as MLflow 3's client sends them. */

async function send(server: WebTestServer, method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await server.app.inject({ method, url, headers, payload: payload as object });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.body === '' ? {} : res.json<Record<string, any>>();
}

export interface SeedDataset {
  name: string;
  digest?: string;
  sourceType?: string;
  source?: string;
  schema?: string;
  profile?: string;
  context?: string;
}

/** Logs datasets as the run's inputs (runs/log-inputs), each with its context tag when given. */
export async function logDatasets(server: WebTestServer, runId: string, datasets: SeedDataset[]): Promise<void> {
  await send(server, 'POST', endpointPath(endpoints.mlflow.runs.logInputs), {
    run_id: runId,
    datasets: datasets.map((d) => ({
      tags: d.context ? [{ key: 'mlflow.data.context', value: d.context }] : [],
      dataset: { name: d.name, digest: d.digest ?? 'd41d8cd9', source_type: d.sourceType ?? 'local', source: d.source ?? '{"uri": "/data/set.csv"}', schema: d.schema, profile: d.profile },
    })),
  });
}

export interface SeedModel {
  experimentId: string;
  runId: string;
  name: string;
  modelType?: string;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  files?: Record<string, string>;
  status?: 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';
  /** Metrics logged by the run against this model, each with its dataset when given. */
  metrics?: Array<{ key: string; value: number; step?: number; dataset?: { name: string; digest: string } }>;
  /** Also link it as one of the run's outputs (runs/outputs). */
  asOutput?: boolean;
}

/** A logged model of a run, its files uploaded, its status set (READY unless said); returns its id. */
export async function seedModel(server: WebTestServer, m: SeedModel): Promise<string> {
  const kv = (r: Record<string, string> = {}) => Object.entries(r).map(([key, value]) => ({ key, value }));
  const created = await send(server, 'POST', endpointPath(endpoints.mlflow.models.create), {
    experiment_id: m.experimentId,
    name: m.name,
    source_run_id: m.runId,
    ...(m.modelType ? { model_type: m.modelType } : {}),
    params: kv(m.params),
    tags: kv(m.tags),
  });
  const modelId = String(created.model.info.model_id);
  const root = String(created.model.info.artifact_uri).replace('mlflow-artifacts:/', '');
  for (const [path, content] of Object.entries(m.files ?? {})) {
    await send(server, 'PUT', endpointPath(endpoints.mlflow.artifacts.upload, { '*': `${root}/${path}` }), Buffer.from(content), { 'content-type': 'application/octet-stream' });
  }
  const status = m.status ?? 'LOGGED_MODEL_READY';
  if (status !== 'LOGGED_MODEL_PENDING') await send(server, 'PATCH', endpointPath(endpoints.mlflow.models.finalize, { model_id: modelId }), { status });
  if (m.metrics?.length) {
    const t0 = Date.now();
    await send(server, 'POST', endpointPath(endpoints.mlflow.runs.logBatch), {
      run_id: m.runId,
      metrics: m.metrics.map((x) => ({ key: x.key, value: x.value, step: x.step ?? 0, timestamp: t0, model_id: modelId, ...(x.dataset ? { dataset_name: x.dataset.name, dataset_digest: x.dataset.digest } : {}) })),
    });
  }
  if (m.asOutput) await send(server, 'POST', endpointPath(endpoints.mlflow.models.logOutputs), { run_id: m.runId, models: [{ model_id: modelId, step: 0 }] });
  return modelId;
}
