import type { Kysely, Selectable } from 'kysely';
import type { Experiment, KeyValue } from '../../shared/mlflow/types.js';
import { alreadyExists, notFound } from '../errors.js';
import type { Db } from './db.js';
import type { Database, ExperimentsTable } from './schema.js';
import { isUniqueViolation } from './sql-errors.js';

type ExperimentRow = Selectable<ExperimentsTable>;

function toExperiment(row: ExperimentRow, tags: KeyValue[]): Experiment {
  return {
    experiment_id: String(row.experiment_id),
    name: row.name,
    artifact_location: row.artifact_location,
    lifecycle_stage: row.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    creation_time: row.creation_time,
    last_update_time: row.last_update_time,
    tags,
  };
}

/** Parses an experiment id from the wire; anything but a decimal integer names no experiment. */
export function parseExperimentId(id: string): number | null {
  return /^\d{1,15}$/.test(id) ? Number(id) : null;
}

async function tagsOf(db: Kysely<Database>, ids: number[]): Promise<Map<number, KeyValue[]>> {
  const byId = new Map<number, KeyValue[]>();
  if (ids.length === 0) return byId;
  const rows = await db.selectFrom('experiment_tags').selectAll().where('experiment_id', 'in', ids).orderBy('key').execute();
  for (const row of rows) {
    const list = byId.get(row.experiment_id) ?? [];
    list.push({ key: row.key, value: row.value });
    byId.set(row.experiment_id, list);
  }
  return byId;
}

export async function withTags(db: Kysely<Database>, rows: ExperimentRow[]): Promise<Experiment[]> {
  const tags = await tagsOf(db, rows.map((r) => r.experiment_id));
  return rows.map((row) => toExperiment(row, tags.get(row.experiment_id) ?? []));
}

export async function insertExperiment(
  db: Db,
  input: { name: string; artifactLocation?: string | undefined; tags: KeyValue[]; now: number },
): Promise<string> {
  const existing = await db.kysely.selectFrom('experiments').select('lifecycle_stage').where('name', '=', input.name).executeTakeFirst();
  if (existing) throw duplicateName(input.name, existing.lifecycle_stage);
  try {
    return await db.write(async (trx) => {
      const { experiment_id } = await trx
        .insertInto('experiments')
        .values({
          name: input.name,
          artifact_location: input.artifactLocation ?? '',
          lifecycle_stage: 'active',
          creation_time: input.now,
          last_update_time: input.now,
        })
        .returning('experiment_id')
        .executeTakeFirstOrThrow();
      if (!input.artifactLocation) {
        await trx
          .updateTable('experiments')
          .set({ artifact_location: `mlflow-artifacts:/${experiment_id}` })
          .where('experiment_id', '=', experiment_id)
          .execute();
      }
      const tags = dedupeByKey(input.tags);
      if (tags.length > 0) {
        await trx.insertInto('experiment_tags').values(tags.map((t) => ({ experiment_id, ...t }))).execute();
      }
      return String(experiment_id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(input.name, 'active');
    throw error;
  }
}

function duplicateName(name: string, stage: string) {
  return alreadyExists(
    stage === 'deleted'
      ? `Experiment '${name}' already exists in deleted state. Restore it or choose another name.`
      : `Experiment '${name}' already exists.`,
  );
}

export function dedupeByKey(items: KeyValue[]): KeyValue[] {
  return [...new Map(items.map((t) => [t.key, t] as const)).values()];
}

export async function findExperimentRow(db: Kysely<Database>, id: string): Promise<ExperimentRow> {
  const numeric = parseExperimentId(id);
  const row =
    numeric === null
      ? undefined
      : await db.selectFrom('experiments').selectAll().where('experiment_id', '=', numeric).executeTakeFirst();
  if (!row) throw notFound(`No Experiment with id=${id} exists`);
  return row;
}

export async function getExperiment(db: Db, id: string): Promise<Experiment> {
  const row = await findExperimentRow(db.kysely, id);
  const [experiment] = await withTags(db.kysely, [row]);
  return experiment!;
}

export async function getExperimentByName(db: Db, name: string): Promise<Experiment> {
  const row = await db.kysely.selectFrom('experiments').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) throw notFound(`Could not find experiment with name '${name}'`);
  const [experiment] = await withTags(db.kysely, [row]);
  return experiment!;
}

export async function renameExperiment(db: Db, id: string, newName: string, now: number): Promise<void> {
  const row = await findExperimentRow(db.kysely, id);
  if (row.name === newName) return;
  const clash = await db.kysely.selectFrom('experiments').select('lifecycle_stage').where('name', '=', newName).executeTakeFirst();
  if (clash) throw duplicateName(newName, clash.lifecycle_stage);
  try {
    await db.kysely
      .updateTable('experiments')
      .set({ name: newName, last_update_time: now })
      .where('experiment_id', '=', row.experiment_id)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(newName, 'active');
    throw error;
  }
}

/** Deletes or restores an experiment and, as MLflow does, its runs with it. */
export async function setExperimentLifecycle(db: Db, id: string, stage: 'active' | 'deleted', now: number): Promise<number> {
  const row = await findExperimentRow(db.kysely, id);
  await db.write(async (trx) => {
    await trx
      .updateTable('experiments')
      .set({ lifecycle_stage: stage, last_update_time: now })
      .where('experiment_id', '=', row.experiment_id)
      .execute();
    await trx
      .updateTable('runs')
      .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? now : null })
      .where('experiment_id', '=', row.experiment_id)
      .where('lifecycle_stage', '!=', stage)
      .execute();
  });
  return row.experiment_id;
}

export async function setExperimentTag(db: Db, id: string, tag: KeyValue): Promise<void> {
  const row = await findExperimentRow(db.kysely, id);
  await db.kysely
    .insertInto('experiment_tags')
    .values({ experiment_id: row.experiment_id, key: tag.key, value: tag.value })
    .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value: tag.value }))
    .execute();
}
