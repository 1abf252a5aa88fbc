import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { ExplorerState } from '../../shared/studio/explorer-state.js';
import { MAX_VIEW_STATE_BYTES, type createViewBody, type SavedView, type updateViewBody, type ViewSummary } from '../../shared/studio/views.js';
import { roleAtLeast } from '../../shared/studio/auth.js';
import type { Principal } from '../auth/principal.js';
import { ApiError, invalidParameter, notFound } from '../errors.js';
import { findUserByName, userNames } from '../store/users.store.js';
import { findExperimentRow } from '../store/experiments.store.js';
import * as store from '../store/views.store.js';
import type { Deps } from './deps.js';

type ViewRow = NonNullable<Awaited<ReturnType<typeof store.findView>>>;

/**
 * Saved views, by permission. A private view exists only for its owner (and admins): others
 * get 404, so its name does not leak. A shared view is seen by everyone and changed by
 * contributors. Readers make private views; sharing one takes the contributor role.
 */
async function viewFor(deps: Deps, caller: Principal, id: string): Promise<ViewRow> {
  const row = await store.findView(deps.db, id);
  if (!row || (row.visibility !== 'shared' && row.owner_id !== caller.id && caller.role !== 'admin')) throw notFound(`View '${id}' not found.`);
  return row;
}

/** Whether `caller` may change a view they can see. */
export function mayEdit(caller: Principal, row: Pick<ViewRow, 'owner_id' | 'visibility'>): boolean {
  if (caller.role === 'admin') return true;
  return row.visibility === 'shared' ? roleAtLeast(caller.role, 'contributor') : row.owner_id === caller.id;
}

function requireEdit(caller: Principal, row: ViewRow): void {
  if (mayEdit(caller, row)) return;
  throw new ApiError('PERMISSION_DENIED', `View '${row.name}' is shared: changing it needs the contributor role (${caller.name} is a ${caller.role}). Save your changes as a new private view instead.`);
}

function requireShare(caller: Principal): void {
  if (roleAtLeast(caller.role, 'contributor')) return;
  throw new ApiError('PERMISSION_DENIED', `Sharing a view needs the contributor role (${caller.name} is a ${caller.role}): readers make private views.`);
}

/** Owner names by id; the caller's own id is theirs even without a user row (local mode). */
async function ownerNames(deps: Deps, caller: Principal, ownerIds: string[]): Promise<(id: string) => string | null> {
  const names = await userNames(deps.db, [...new Set(ownerIds)].filter((id) => id !== caller.id));
  return (id) => (id === caller.id ? caller.name : (names.get(id) ?? null));
}

const asViewer = (caller: Principal, ownerName: (id: string) => string | null) => ({ id: caller.id, ownerName, mayEdit: (row: Pick<ViewRow, 'owner_id' | 'visibility'>) => mayEdit(caller, row) });

/** A view's state serialised for storage, at most 64 KB so no view weighs on every reader. */
function storedState(state: ExplorerState): string {
  const text = store.serializeState(state);
  const size = Buffer.byteLength(text);
  if (size > MAX_VIEW_STATE_BYTES) {
    throw invalidParameter(`Invalid value for parameter 'state': it takes ${size.toLocaleString('en-US')} bytes; a view's state is at most ${MAX_VIEW_STATE_BYTES.toLocaleString('en-US')}.`);
  }
  return text;
}

export async function listViews(deps: Deps, caller: Principal): Promise<{ mine: ViewSummary[]; shared: ViewSummary[] }> {
  const rows = await store.visibleViews(deps.db, caller.id);
  const viewer = asViewer(caller, await ownerNames(deps, caller, rows.map((row) => row.owner_id)));
  const views = rows.map((row) => store.toSummary(row, viewer));
  return { mine: views.filter((v) => v.mine), shared: views.filter((v) => !v.mine && v.visibility === 'shared') };
}

export async function getView(deps: Deps, caller: Principal, id: string): Promise<SavedView> {
  const row = await viewFor(deps, caller, id);
  return store.toView(row, asViewer(caller, await ownerNames(deps, caller, [row.owner_id])));
}

export async function createView(deps: Deps, caller: Principal, body: z.output<typeof createViewBody>): Promise<SavedView> {
  if (body.visibility === 'shared') requireShare(caller);
  if (body.experimentId !== null) await findExperimentRow(deps.db.kysely, body.experimentId);
  const now = deps.now();
  const row = {
    id: randomBytes(9).toString('base64url'),
    name: body.name,
    owner_id: caller.id,
    visibility: body.visibility,
    experiment_id: body.experimentId === null ? null : Number(body.experimentId),
    state: storedState(body.state),
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await store.insertView(deps.db, row);
  return store.toView(row, asViewer(caller, () => caller.name));
}

async function newOwnerId(deps: Deps, caller: Principal, owner: string | undefined): Promise<string | undefined> {
  if (owner === undefined) return undefined;
  if (caller.role !== 'admin') throw new ApiError('PERMISSION_DENIED', `Only admins may give a view another owner (${caller.name} is a ${caller.role}).`);
  if (owner === caller.name) return caller.id;
  const user = await findUserByName(deps.db, owner);
  if (!user) throw invalidParameter(`Invalid value for parameter 'owner': no user is named '${owner}'.`);
  return user.id;
}

export async function updateView(deps: Deps, caller: Principal, id: string, body: z.output<typeof updateViewBody>): Promise<SavedView> {
  const row = await viewFor(deps, caller, id);
  requireEdit(caller, row);
  if (body.visibility === 'shared' && row.visibility !== 'shared') requireShare(caller);
  const ownerId = await newOwnerId(deps, caller, body.owner);
  const stale = () =>
    new ApiError('RESOURCE_CONFLICT', `View '${row.name}' was changed by someone else since you opened it (you have version ${body.version}). Reload it, or save yours as a new view.`, {
      currentVersion: row.version,
    });
  if (row.version !== body.version) throw stale();
  const changes = {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.visibility !== undefined ? { visibility: body.visibility } : {}),
    ...(body.state !== undefined ? { state: storedState(body.state) } : {}),
    ...(ownerId !== undefined ? { owner_id: ownerId } : {}),
  };
  if (!(await store.updateView(deps.db, id, body.version, changes, deps.now()))) throw stale();
  return getView(deps, caller, id);
}

export async function deleteView(deps: Deps, caller: Principal, id: string, version: number | undefined): Promise<void> {
  const row = await viewFor(deps, caller, id);
  requireEdit(caller, row);
  if (version !== undefined && row.version !== version) {
    throw new ApiError('RESOURCE_CONFLICT', `View '${row.name}' changed since you opened it; reload it before deleting.`, { currentVersion: row.version });
  }
  await store.deleteView(deps.db, id);
}
