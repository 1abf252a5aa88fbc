import type { Kysely } from 'kysely';
import { DATASET_CONTEXT_TAG, type DatasetInput, type LogInputs, type RunInputs } from '../../shared/mlflow/datasets.js';
import type { KeyValue } from '../../shared/mlflow/types.js';
import type { Database, RunsTable } from './schema.js';

type NewInput = LogInputs['datasets'][number];

const identity = (d: { name: string; digest: string }) => JSON.stringify([d.name, d.digest]);
const CHUNK = 200;

/**
 * MLflow's log-inputs, in the caller's transaction (after it has found the run active): each
 * dataset is stored once per experiment (name and digest; a dataset already stored keeps what
 * it was first logged with), and each run↔dataset link once, with the input tags of the first
 * time it was logged. Logging the same input again changes nothing.
 */
export async function insertInputs(
  trx: Kysely<Database>,
  run: Pick<RunsTable, 'run_uuid' | 'experiment_id'>,
  inputs: NewInput[],
): Promise<void> {
  const runId = run.run_uuid;
  if (inputs.length === 0) return;
  // The first occurrence of a dataset in the request wins, as in MLflow; sorted, so that
  // concurrent requests on PostgreSQL take the unique index's locks in one order.
  const unique = new Map<string, NewInput>();
  for (const input of inputs) if (!unique.has(identity(input.dataset))) unique.set(identity(input.dataset), input);
  const wanted = [...unique.values()].sort((a, b) => (identity(a.dataset) < identity(b.dataset) ? -1 : 1));
  const datasetIds = new Map<string, number>();
  for (let i = 0; i < wanted.length; i += CHUNK) {
    const chunk = wanted.slice(i, i + CHUNK);
    await trx
      .insertInto('datasets')
      .values(
        chunk.map(({ dataset: d }) => ({
          experiment_id: run.experiment_id,
          name: d.name,
          digest: d.digest,
          source_type: d.source_type,
          source: d.source,
          schema: d.schema ?? null,
          profile: d.profile ?? null,
        })),
      )
      .onConflict((oc) => oc.columns(['experiment_id', 'name', 'digest']).doNothing())
      .execute();
    const rows = await trx
      .selectFrom('datasets')
      .select(['id', 'name', 'digest'])
      .where('experiment_id', '=', run.experiment_id)
      .where((eb) => eb.or(chunk.map(({ dataset: d }) => eb.and([eb('name', '=', d.name), eb('digest', '=', d.digest)]))))
      .execute();
    for (const row of rows) datasetIds.set(identity(row), row.id);
  }
  // Links in the order the client logged them, so a run's inputs list in that order.
  const ordered = [...unique.values()];
  for (let i = 0; i < ordered.length; i += CHUNK) {
    const chunk = ordered.slice(i, i + CHUNK);
    const created = await trx
      .insertInto('run_inputs')
      .values(chunk.map((input) => ({ run_uuid: runId, dataset_id: datasetIds.get(identity(input.dataset))! })))
      .onConflict((oc) => oc.columns(['run_uuid', 'dataset_id']).doNothing())
      .returning(['id', 'dataset_id'])
      .execute();
    const byDataset = new Map(chunk.map((input) => [datasetIds.get(identity(input.dataset))!, input]));
    const tags = created.flatMap((link) => {
      // One value per key (the last one sent), since a key names one tag of the input.
      const perKey = new Map(byDataset.get(link.dataset_id)!.tags.map((t) => [t.key, t.value]));
      return [...perKey].map(([key, value]) => ({ input_id: link.id, key, value }));
    });
    for (let j = 0; j < tags.length; j += 500) await trx.insertInto('run_input_tags').values(tags.slice(j, j + 500)).execute();
  }
}

/** Run ids per query: under SQLite's 32,766 bound parameters (and PostgreSQL's 65,535). */
const IDS_PER_QUERY = 30_000;

/**
 * The `inputs` of the given runs in one query (datasets and tags joined), whatever the page
 * size up to 30,000 runs: never one query per run. A run without datasets gets `{}`.
 */
export async function loadRunInputs(db: Kysely<Database>, runIds: string[]): Promise<Map<string, RunInputs>> {
  const result = new Map<string, RunInputs>();
  for (let i = 0; i < runIds.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('run_inputs as i')
      .innerJoin('datasets as d', 'd.id', 'i.dataset_id')
      .leftJoin('run_input_tags as t', 't.input_id', 'i.id')
      .select(['i.id as input_id', 'i.run_uuid', 'd.name', 'd.digest', 'd.source_type', 'd.source', 'd.schema', 'd.profile', 't.key', 't.value'])
      .where('i.run_uuid', 'in', runIds.slice(i, i + IDS_PER_QUERY))
      .orderBy('i.id')
      .orderBy('t.key')
      .execute();
    const byInput = new Map<number, { tags: KeyValue[]; dataset: DatasetInput['dataset'] }>();
    for (const row of rows) {
      let input = byInput.get(row.input_id);
      if (!input) {
        // Fields in MLflow's order (tags, then dataset); schema and profile only when sent.
        const dataset = { name: row.name, digest: row.digest, source_type: row.source_type, source: row.source };
        input = {
          tags: [],
          dataset: { ...dataset, ...(row.schema === null ? {} : { schema: row.schema }), ...(row.profile === null ? {} : { profile: row.profile }) },
        };
        byInput.set(row.input_id, input);
        const inputs = result.get(row.run_uuid);
        if (inputs?.dataset_inputs) inputs.dataset_inputs.push(input);
        else result.set(row.run_uuid, { dataset_inputs: [input] });
      }
      if (row.key !== null && row.value !== null) input.tags.push({ key: row.key, value: row.value });
    }
    // An input without tags: MLflow's JSON omits the empty list.
    for (const input of byInput.values()) if (input.tags.length === 0) delete (input as DatasetInput).tags;
  }
  return result;
}

/**
 * What the run table shows of each run's datasets: name, digest and `mlflow.data.context`, in
 * logged order, without the schema and profile (which may be megabytes each).
 */
export async function datasetChips(
  db: Kysely<Database>,
  runIds: string[],
): Promise<Map<string, { name: string; digest: string; context: string | null }[]>> {
  const result = new Map<string, { name: string; digest: string; context: string | null }[]>();
  for (let i = 0; i < runIds.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('run_inputs as i')
      .innerJoin('datasets as d', 'd.id', 'i.dataset_id')
      .leftJoin('run_input_tags as t', (join) => join.onRef('t.input_id', '=', 'i.id').on('t.key', '=', DATASET_CONTEXT_TAG))
      .select(['i.run_uuid', 'd.name', 'd.digest', 't.value as context'])
      .where('i.run_uuid', 'in', runIds.slice(i, i + IDS_PER_QUERY))
      .orderBy('i.id')
      .execute();
    for (const row of rows) {
      const list = result.get(row.run_uuid) ?? [];
      list.push({ name: row.name, digest: row.digest, context: row.context ?? null });
      result.set(row.run_uuid, list);
    }
  }
  return result;
}
