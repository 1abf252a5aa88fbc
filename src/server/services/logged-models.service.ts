import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { MODEL_ID_PATTERN, loggedModelLimits, type CreateLoggedModel, type LoggedModel, type LogOutputs, type SearchLoggedModels, type searchLoggedModelsBody } from '../../shared/mlflow/logged-models.js';
import type { KeyValue } from '../../shared/mlflow/types.js';
import { invalidParameter, notFound } from '../errors.js';
import { findExperimentRow } from '../store/experiments.store.js';
import { modelAttributes, searchModelRows, type ModelOrder } from '../store/logged-models-search.store.js';
import * as models from '../store/logged-models.store.js';
import { findActiveRunRow, findRunRow } from '../store/runs.store.js';
import type { Deps } from './deps.js';
import { checkMaxResults, echo, parseExperimentIds, parseFilterOrThrow, parseOrderByOrThrow } from './filters.js';
import { randomRunName } from './run-names.js';
import { checkParam, checkTag, isRunId } from './validation.js';

const newModelId = () => `m-${randomUUID().replaceAll('-', '')}`;

/** A model id from the wire: one the server could not have issued names no model. */
function modelIdOrThrow(modelId: string): string {
  if (!MODEL_ID_PATTERN.test(modelId)) throw models.modelNotFound(modelId);
  return modelId;
}

/** MLflow refuses names that cannot be part of a `models:/` URI. */
function checkModelName(name: string): void {
  if (name.trim() === '') throw invalidParameter("Invalid value for parameter 'name': a logged model name must not be empty.");
  if (/[/:%"'.]/.test(name)) {
    throw invalidParameter(`Invalid value for parameter 'name': '${echo(name)}'. A logged model name cannot contain '/', ':', '.', '%', '"' or "'".`);
  }
}

async function getModel(deps: Deps, modelId: string): Promise<LoggedModel> {
  const row = await models.findModelRow(deps.db.kysely, modelIdOrThrow(modelId));
  const [model] = await models.assembleModels(deps.db.kysely, [row]);
  return model!;
}

export async function createLoggedModel(deps: Deps, body: CreateLoggedModel): Promise<LoggedModel> {
  const experiment = await findExperimentRow(deps.db.kysely, body.experiment_id);
  if (experiment.lifecycle_stage !== 'active') {
    throw invalidParameter(`Could not create a logged model under non-active experiment with ID ${experiment.experiment_id}.`);
  }
  const name = body.name || randomRunName();
  checkModelName(name);
  body.params.forEach(checkParam);
  body.tags.forEach(checkTag);
  const sourceRunId = body.source_run_id || null;
  if (sourceRunId !== null && !isRunId(sourceRunId)) throw invalidParameter(`Invalid value for parameter 'source_run_id': no run has the id '${echo(sourceRunId)}'.`);
  const modelId = newModelId();
  const now = deps.now();
  await deps.db.write(async (trx) => {
    if (sourceRunId !== null) await findRunRow(trx, sourceRunId);
    await models.insertModel(
      trx,
      {
        model_id: modelId,
        experiment_id: experiment.experiment_id,
        name,
        model_type: body.model_type ?? '',
        source_run_id: sourceRunId,
        status: 'LOGGED_MODEL_PENDING',
        artifact_uri: `${experiment.artifact_location}/models/${modelId}/artifacts`,
        lifecycle_stage: 'active',
        creation_time: now,
        last_updated_time: now,
      },
      body.params,
      body.tags,
    );
  });
  return getModel(deps, modelId);
}

export const getLoggedModel = getModel;

/** MLflow's finalize: the status the client's upload ended in. */
export async function finalizeLoggedModel(deps: Deps, modelId: string, status: LoggedModel['info']['status']): Promise<LoggedModel> {
  if (status !== 'LOGGED_MODEL_READY' && status !== 'LOGGED_MODEL_UPLOAD_FAILED') {
    throw invalidParameter(`Invalid value for parameter 'status': '${status}'. A logged model is finalized as LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED.`);
  }
  await updateModel(deps, modelId, async (trx, id) => {
    await trx.updateTable('logged_models').set({ status, last_updated_time: deps.now() }).where('model_id', '=', id).execute();
  });
  return getModel(deps, modelId);
}

/**
 * Runs `change` on a live model in one transaction. Only a status change marks the model
 * updated: MLflow keeps `last_updated_timestamp_ms` through tag and param writes.
 */
async function updateModel(deps: Deps, modelId: string, change: (trx: Parameters<Parameters<Deps['db']['write']>[0]>[0], id: string) => Promise<void>): Promise<void> {
  const id = modelIdOrThrow(modelId);
  await deps.db.write(async (trx) => {
    await models.findModelRow(trx, id);
    await change(trx, id);
  });
}

export async function deleteLoggedModel(deps: Deps, modelId: string): Promise<void> {
  await updateModel(deps, modelId, async (trx, id) => {
    await trx.updateTable('logged_models').set({ lifecycle_stage: 'deleted' }).where('model_id', '=', id).execute();
  });
}

export async function setLoggedModelTags(deps: Deps, modelId: string, tags: KeyValue[]): Promise<void> {
  tags.forEach(checkTag);
  await updateModel(deps, modelId, (trx, id) => models.upsertModelTags(trx, id, tags));
}

export async function deleteLoggedModelTag(deps: Deps, modelId: string, key: string): Promise<void> {
  await updateModel(deps, modelId, async (trx, id) => {
    const deleted = await trx.deleteFrom('logged_model_tags').where('model_id', '=', id).where('key', '=', key).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notFound(`No tag with key '${echo(key)}' on logged model '${id}'.`);
  });
}

export async function logLoggedModelParams(deps: Deps, modelId: string, params: KeyValue[]): Promise<void> {
  params.forEach(checkParam);
  await updateModel(deps, modelId, (trx, id) => models.insertModelParams(trx, id, params));
}

/** Page tokens are offsets (as MLflow's are): one that does not decode to one is a 400. */
function parsePageToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const text = Buffer.from(token, 'base64').toString('utf8');
  const offset = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(offset)) throw invalidParameter(`Invalid page token '${echo(token)}'`);
  return offset;
}

function parseOrders(order: SearchLoggedModels['order_by']): ModelOrder[] {
  return order.map((o) => {
    const [parsed] = parseOrderByOrThrow([o.field_name], modelAttributes);
    const { entity, key } = parsed!;
    if (entity !== 'attribute' && entity !== 'metric') {
      throw invalidParameter(`Invalid order_by field '${echo(o.field_name)}': logged models order by an attribute or a metric.`);
    }
    if (o.dataset_digest !== undefined && o.dataset_name === undefined) {
      throw invalidParameter(`Invalid order_by field '${echo(o.field_name)}': dataset_digest needs dataset_name.`);
    }
    const dataset = o.dataset_name === undefined ? undefined : { dataset_name: o.dataset_name, dataset_digest: o.dataset_digest };
    return { field: { entity, key }, ascending: o.ascending, dataset };
  });
}

export async function searchLoggedModels(deps: Deps, body: z.output<typeof searchLoggedModelsBody>): Promise<{ models?: LoggedModel[]; next_page_token?: string }> {
  const experimentIds = parseExperimentIds(body.experiment_ids, 'experiment_ids');
  if (experimentIds.length === 0) throw invalidParameter("Missing value for required parameter 'experiment_ids'.");
  const pageSize = checkMaxResults(body.max_results, loggedModelLimits.searchDefaultResults, loggedModelLimits.searchMaxResults);
  const offset = parsePageToken(body.page_token);
  const rows = await searchModelRows(deps.db, {
    experimentIds,
    clauses: parseFilterOrThrow(body.filter, modelAttributes),
    datasets: body.datasets,
    orderBy: parseOrders(body.order_by),
    offset,
    pageSize,
  });
  const more = rows.length > pageSize;
  const found = await models.assembleModels(deps.db.kysely, rows.slice(0, pageSize));
  // MLflow's JSON omits an empty list: no match is `{}`.
  return {
    ...(found.length > 0 ? { models: found } : {}),
    ...(more ? { next_page_token: Buffer.from(String(offset + pageSize)).toString('base64') } : {}),
  };
}

/** MLflow's runs/outputs: the models a run produced. */
export async function logOutputs(deps: Deps, body: LogOutputs): Promise<void> {
  if (!isRunId(body.run_id)) throw notFound(`Run with id=${echo(body.run_id)} not found`);
  body.models.forEach((m) => modelIdOrThrow(m.model_id));
  await deps.db.write(async (trx) => {
    await findActiveRunRow(trx, body.run_id);
    await models.insertOutputs(trx, body.run_id, body.models);
  });
  deps.events.publish({ kind: 'updated', runId: body.run_id, fields: ['models'] });
}
