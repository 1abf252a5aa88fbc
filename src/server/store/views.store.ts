import type { Selectable } from 'kysely';
import { migrateViewState, VIEW_SCHEMA_VERSION, type SavedView, type ViewSummary } from '../../shared/studio/views.js';
import type { ExplorerState } from '../../shared/studio/explorer-state.js';
import type { Db } from './db.js';
import type { ViewsTable } from './schema.js';

type ViewRow = Selectable<ViewsTable>;

type SummaryRow = Omit<ViewRow, 'state'>;

/** Who reads a view: their id, owners' names, and whether they may change a view. */
export interface Viewer {
  id: string;
  ownerName: (ownerId: string) => string | null;
  mayEdit: (row: Pick<ViewRow, 'owner_id' | 'visibility'>) => boolean;
}

export function toSummary(row: SummaryRow, viewer: Viewer): ViewSummary {
  return {
    id: row.id,
    name: row.name,
    visibility: row.visibility === 'shared' ? 'shared' : 'private',
    experimentId: row.experiment_id === null ? null : String(row.experiment_id),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    mine: row.owner_id === viewer.id,
    owner: viewer.ownerName(row.owner_id),
    editable: viewer.mayEdit(row),
  };
}

export function toView(row: ViewRow, viewer: Viewer): SavedView {
  return { ...toSummary(row, viewer), state: migrateViewState(JSON.parse(row.state)) };
}

export const serializeState = (state: ExplorerState) => JSON.stringify({ schemaVersion: VIEW_SCHEMA_VERSION, ...state });

/** Views this user may see, their own and every shared one, without their states. */
export async function visibleViews(db: Db, userId: string): Promise<SummaryRow[]> {
  return db.kysely
    .selectFrom('views')
    .select(['id', 'name', 'owner_id', 'visibility', 'experiment_id', 'version', 'created_at', 'updated_at'])
    .where((eb) => eb.or([eb('owner_id', '=', userId), eb('visibility', '=', 'shared')]))
    .orderBy('name')
    .execute();
}

export async function findView(db: Db, id: string): Promise<ViewRow | undefined> {
  return db.kysely.selectFrom('views').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertView(db: Db, row: ViewRow): Promise<void> {
  await db.write((trx) => trx.insertInto('views').values(row).execute());
}

/** Saves only if the stored version is still `version`; returns false when it was not. */
export async function updateView(db: Db, id: string, version: number, changes: Partial<Pick<ViewRow, 'name' | 'visibility' | 'state' | 'owner_id'>>, now: number): Promise<boolean> {
  const result = await db.write((trx) =>
    trx
      .updateTable('views')
      .set({ ...changes, version: version + 1, updated_at: now })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
  return Number(result.numUpdatedRows) === 1;
}

/** Local mode has one user: views of the anonymous-cookie era, or of no user, become theirs. */
export async function claimOrphanViews(db: Db, ownerId: string): Promise<void> {
  await db.write((trx) =>
    trx
      .updateTable('views')
      .set({ owner_id: ownerId })
      .where('owner_id', '<>', ownerId)
      .where('owner_id', 'not in', (eb) => eb.selectFrom('users').select('id'))
      .execute(),
  );
}

export async function deleteView(db: Db, id: string): Promise<void> {
  await db.write((trx) => trx.deleteFrom('views').where('id', '=', id).execute());
}
