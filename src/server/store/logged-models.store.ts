import type { Kysely, Selectable } from 'kysely';
import type { LoggedModel, LoggedModelStatus, ModelMetric } from '../../shared/mlflow/logged-models.js';
import type { KeyValue, RunOutputs } from '../../shared/mlflow/types.js';
import { encodeDouble } from '../../shared/mlflow/values.js';
import { invalidParameter, notFound } from '../errors.js';
import type { Database, LoggedModelsTable } from './schema.js';

export type LoggedModelRow = Selectable<LoggedModelsTable>;

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
/** Ids per query: under SQLite's bound-parameter limit. */
const IDS_PER_QUERY = 900;

export const modelNotFound = (modelId: string) => notFound(`Logged model with ID '${modelId}' not found.`);

/** A model that exists and is not deleted; anything else is MLflow's 404. */
export async function findModelRow(db: Kysely<Database>, modelId: string): Promise<LoggedModelRow> {
  const row = await db.selectFrom('logged_models').selectAll().where('model_id', '=', modelId).where('lifecycle_stage', '=', 'active').executeTakeFirst();
  if (!row) throw modelNotFound(modelId);
  return row;
}

/** The ids of `modelIds` that name no live model (for a batch that must be refused whole). */
export async function missingModels(db: Kysely<Database>, modelIds: string[]): Promise<string[]> {
  const wanted = [...new Set(modelIds)];
  const found = new Set<string>();
  for (let i = 0; i < wanted.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('logged_models')
      .select('model_id')
      .where('model_id', 'in', wanted.slice(i, i + IDS_PER_QUERY))
      .where('lifecycle_stage', '=', 'active')
      .execute();
    for (const r of rows) found.add(r.model_id);
  }
  return wanted.filter((id) => !found.has(id));
}

export async function insertModel(trx: Kysely<Database>, row: LoggedModelsTable, params: KeyValue[], tags: KeyValue[]): Promise<void> {
  await trx.insertInto('logged_models').values(row).execute();
  await upsertModelTags(trx, row.model_id, tags);
  await insertModelParams(trx, row.model_id, params);
}

/** Tags: one value per key, the last one sent wins. */
export async function upsertModelTags(trx: Kysely<Database>, modelId: string, tags: KeyValue[]): Promise<void> {
  const perKey = new Map(tags.map((t) => [t.key, t.value]));
  if (perKey.size === 0) return;
  await trx
    .insertInto('logged_model_tags')
    .values([...perKey].map(([key, value]) => ({ model_id: modelId, key, value })).sort(byKey))
    .onConflict((oc) => oc.columns(['model_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}

/** Params are immutable, as a run's are: the same value again is fine, another value is a 400. */
export async function insertModelParams(trx: Kysely<Database>, modelId: string, params: KeyValue[]): Promise<void> {
  if (params.length === 0) return;
  const perKey = new Map<string, string>();
  for (const p of params) {
    const seen = perKey.get(p.key);
    if (seen !== undefined && seen !== p.value) throw invalidParameter(`Duplicate parameter key '${p.key}' with different values in one request.`);
    perKey.set(p.key, p.value);
  }
  const rows = [...perKey].map(([key, value]) => ({ model_id: modelId, key, value })).sort(byKey);
  await trx
    .insertInto('logged_model_params')
    .values(rows)
    .onConflict((oc) => oc.columns(['model_id', 'key']).doNothing())
    .execute();
  const stored = await trx.selectFrom('logged_model_params').select(['key', 'value']).where('model_id', '=', modelId).where('key', 'in', [...perKey.keys()]).execute();
  for (const s of stored) {
    if (s.value !== perKey.get(s.key)) {
      throw invalidParameter(`Changing param values is not allowed. Param with key='${s.key}' was already logged with value='${s.value}' for logged model '${modelId}'.`);
    }
  }
}

export interface ModelMetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  model_id?: string | undefined;
  dataset_name?: string | undefined;
  dataset_digest?: string | undefined;
}

/**
 * The points of a batch logged against a model, kept with the model (beside the run's own
 * history). Every model named must exist, or the whole batch is refused.
 */
export async function insertModelMetrics(trx: Kysely<Database>, runId: string, metrics: ModelMetricPoint[]): Promise<void> {
  const linked = metrics.filter((m): m is ModelMetricPoint & { model_id: string } => m.model_id !== undefined && m.model_id !== '');
  if (linked.length === 0) return;
  const missing = await missingModels(trx, linked.map((m) => m.model_id));
  if (missing.length > 0) throw modelNotFound(missing[0]!);
  for (let i = 0; i < linked.length; i += 100) {
    await trx
      .insertInto('logged_model_metrics')
      .values(
        linked.slice(i, i + 100).map((m) => {
          const isNan = Number.isNaN(m.value);
          return {
            model_id: m.model_id,
            run_uuid: runId,
            key: m.key,
            value: isNan ? 0 : m.value,
            is_nan: isNan ? 1 : 0,
            timestamp: m.timestamp,
            step: m.step,
            dataset_name: m.dataset_name || null,
            dataset_digest: m.dataset_digest || null,
          };
        }),
      )
      .onConflict((oc) => oc.columns(['model_id', 'key', 'timestamp', 'step', 'run_uuid']).doNothing())
      .execute();
  }
}

/** Models as MLflow answers them: tags and params by key, metrics in logged order, empty lists omitted. */
export async function assembleModels(db: Kysely<Database>, rows: LoggedModelRow[]): Promise<LoggedModel[]> {
  const params = new Map<string, KeyValue[]>();
  const tags = new Map<string, KeyValue[]>();
  const metrics = new Map<string, ModelMetric[]>();
  const push = <T>(map: Map<string, T[]>, id: string, value: T) => {
    const list = map.get(id);
    if (list) list.push(value);
    else map.set(id, [value]);
  };
  const ids = rows.map((r) => r.model_id);
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    const [p, t, m] = await Promise.all([
      db.selectFrom('logged_model_params').selectAll().where('model_id', 'in', chunk).orderBy('model_id').orderBy('key').execute(),
      db.selectFrom('logged_model_tags').selectAll().where('model_id', 'in', chunk).orderBy('model_id').orderBy('key').execute(),
      db.selectFrom('logged_model_metrics').selectAll().where('model_id', 'in', chunk).orderBy('id').execute(),
    ]);
    for (const row of p) push(params, row.model_id, { key: row.key, value: row.value });
    for (const row of t) push(tags, row.model_id, { key: row.key, value: row.value });
    for (const row of m) {
      push(metrics, row.model_id, {
        key: row.key,
        value: encodeDouble(row.is_nan ? Number.NaN : row.value),
        timestamp: row.timestamp,
        step: row.step,
        ...(row.dataset_name === null ? {} : { dataset_name: row.dataset_name }),
        ...(row.dataset_digest === null ? {} : { dataset_digest: row.dataset_digest }),
        model_id: row.model_id,
        run_id: row.run_uuid,
      });
    }
  }
  return rows.map((row) => {
    const modelTags = tags.get(row.model_id);
    const modelParams = params.get(row.model_id);
    const modelMetrics = metrics.get(row.model_id);
    return {
      info: {
        model_id: row.model_id,
        experiment_id: String(row.experiment_id),
        name: row.name,
        creation_timestamp_ms: row.creation_time,
        last_updated_timestamp_ms: row.last_updated_time,
        artifact_uri: row.artifact_uri,
        status: row.status as LoggedModelStatus,
        model_type: row.model_type,
        ...(row.source_run_id === null ? {} : { source_run_id: row.source_run_id }),
        ...(modelTags ? { tags: modelTags } : {}),
      },
      data: { ...(modelParams ? { params: modelParams } : {}), ...(modelMetrics ? { metrics: modelMetrics } : {}) },
    };
  });
}

/** `runs/outputs`: each model once per run; logging it again keeps the first step. */
export async function insertOutputs(trx: Kysely<Database>, runId: string, models: { model_id: string; step: number }[]): Promise<void> {
  if (models.length === 0) return;
  const missing = await missingModels(trx, models.map((m) => m.model_id));
  if (missing.length > 0) throw modelNotFound(missing[0]!);
  const unique = new Map<string, number>();
  for (const m of models) if (!unique.has(m.model_id)) unique.set(m.model_id, m.step);
  await trx
    .insertInto('run_outputs')
    .values([...unique].map(([model_id, step]) => ({ run_uuid: runId, model_id, step })))
    .onConflict((oc) => oc.columns(['run_uuid', 'model_id']).doNothing())
    .execute();
}

/** `runs/log-inputs` with `models`: the logged models a run used, in the order logged. */
export async function insertModelInputs(trx: Kysely<Database>, runId: string, modelIds: string[]): Promise<void> {
  if (modelIds.length === 0) return;
  const missing = await missingModels(trx, modelIds);
  if (missing.length > 0) throw modelNotFound(missing[0]!);
  await trx
    .insertInto('run_model_inputs')
    .values([...new Set(modelIds)].map((model_id) => ({ run_uuid: runId, model_id })))
    .onConflict((oc) => oc.columns(['run_uuid', 'model_id']).doNothing())
    .execute();
}

/** The `outputs` of the given runs, and their model inputs, in two queries per chunk of ids. */
export async function loadRunModels(
  db: Kysely<Database>,
  runIds: string[],
): Promise<{ outputs: Map<string, RunOutputs>; inputs: Map<string, { model_id: string }[]> }> {
  const outputs = new Map<string, RunOutputs>();
  const inputs = new Map<string, { model_id: string }[]>();
  for (let i = 0; i < runIds.length; i += IDS_PER_QUERY) {
    const chunk = runIds.slice(i, i + IDS_PER_QUERY);
    const [out, inp] = await Promise.all([
      db.selectFrom('run_outputs').selectAll().where('run_uuid', 'in', chunk).orderBy('run_uuid').orderBy('step').orderBy('model_id').execute(),
      db.selectFrom('run_model_inputs').select(['run_uuid', 'model_id']).where('run_uuid', 'in', chunk).orderBy('id').execute(),
    ]);
    for (const row of out) {
      const list = outputs.get(row.run_uuid)?.model_outputs;
      if (list) list.push({ model_id: row.model_id, step: row.step });
      else outputs.set(row.run_uuid, { model_outputs: [{ model_id: row.model_id, step: row.step }] });
    }
    for (const row of inp) {
      const list = inputs.get(row.run_uuid);
      if (list) list.push({ model_id: row.model_id });
      else inputs.set(row.run_uuid, [{ model_id: row.model_id }]);
    }
  }
  return { outputs, inputs };
}

/**
 * For the studio's run table: the live models each run produced (its outputs and the models
 * whose source run it is), oldest first.
 */
export async function modelsOfRuns(db: Kysely<Database>, runIds: string[]): Promise<Map<string, { modelId: string; name: string; status: LoggedModelStatus }[]>> {
  const result = new Map<string, { modelId: string; name: string; status: LoggedModelStatus }[]>();
  for (let i = 0; i < runIds.length; i += IDS_PER_QUERY) {
    const chunk = runIds.slice(i, i + IDS_PER_QUERY);
    const [bySource, byOutput] = await Promise.all([
      db
        .selectFrom('logged_models')
        .select(['source_run_id as run_uuid', 'model_id', 'name', 'status', 'creation_time'])
        .where('source_run_id', 'in', chunk)
        .where('lifecycle_stage', '=', 'active')
        .execute(),
      db
        .selectFrom('run_outputs as o')
        .innerJoin('logged_models as m', 'm.model_id', 'o.model_id')
        .select(['o.run_uuid', 'm.model_id', 'm.name', 'm.status', 'm.creation_time'])
        .where('o.run_uuid', 'in', chunk)
        .where('m.lifecycle_stage', '=', 'active')
        .execute(),
    ]);
    const rows = [...bySource, ...byOutput].sort((a, b) => a.creation_time - b.creation_time || (a.model_id < b.model_id ? -1 : 1));
    for (const row of rows) {
      if (row.run_uuid === null) continue;
      const list = result.get(row.run_uuid) ?? [];
      if (!list.some((m) => m.modelId === row.model_id)) list.push({ modelId: row.model_id, name: row.name, status: row.status as LoggedModelStatus });
      result.set(row.run_uuid, list);
    }
  }
  return result;
}
