import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { ExplorerState } from '../../shared/studio/explorer-state.js';
import { MAX_VIEW_STATE_BYTES, type createViewBody, type SavedView, type updateViewBody, type ViewSummary } from '../../shared/studio/views.js';
import { ApiError, invalidParameter, notFound } from '../errors.js';
import { findExperimentRow } from '../store/experiments.store.js';
import * as store from '../store/views.store.js';
import type { Deps } from './deps.js';

/**
 * Saved views. A private view exists only for its owner (others get 404, so its name does
 * not leak); a shared view is seen and edited by every workspace member until roles come.
 */
async function viewFor(deps: Deps, userId: string, id: string) {
  const row = await store.findView(deps.db, id);
  if (!row || (row.visibility !== 'shared' && row.owner_id !== userId)) throw notFound(`No view with id '${id}'`);
  return row;
}

/** A view's state serialised for storage, at most 64 KB so no view weighs on every reader. */
function storedState(state: ExplorerState): string {
  const text = store.serializeState(state);
  const size = Buffer.byteLength(text);
  if (size > MAX_VIEW_STATE_BYTES) {
    throw invalidParameter(`Invalid value for parameter 'state': it takes ${size.toLocaleString('en-US')} bytes; a view's state is at most ${MAX_VIEW_STATE_BYTES.toLocaleString('en-US')}.`);
  }
  return text;
}

export async function listViews(deps: Deps, userId: string): Promise<{ mine: ViewSummary[]; shared: ViewSummary[] }> {
  const views = (await store.visibleViews(deps.db, userId)).map((row) => store.toSummary(row, userId));
  return { mine: views.filter((v) => v.mine), shared: views.filter((v) => !v.mine && v.visibility === 'shared') };
}

export async function getView(deps: Deps, userId: string, id: string): Promise<SavedView> {
  return store.toView(await viewFor(deps, userId, id), userId);
}

export async function createView(deps: Deps, userId: string, body: z.output<typeof createViewBody>): Promise<SavedView> {
  if (body.experimentId !== null) await findExperimentRow(deps.db.kysely, body.experimentId);
  const now = deps.now();
  const row = {
    id: randomBytes(9).toString('base64url'),
    name: body.name,
    owner_id: userId,
    visibility: body.visibility,
    experiment_id: body.experimentId === null ? null : Number(body.experimentId),
    state: storedState(body.state),
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await store.insertView(deps.db, row);
  return store.toView(row, userId);
}

export async function updateView(deps: Deps, userId: string, id: string, body: z.output<typeof updateViewBody>): Promise<SavedView> {
  const row = await viewFor(deps, userId, id);
  const stale = () =>
    new ApiError('RESOURCE_CONFLICT', `View '${row.name}' was changed by someone else since you opened it (you have version ${body.version}). Reload it, or save yours as a new view.`, {
      currentVersion: row.version,
    });
  if (row.version !== body.version) throw stale();
  const changes = {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.visibility !== undefined ? { visibility: body.visibility } : {}),
    ...(body.state !== undefined ? { state: storedState(body.state) } : {}),
  };
  if (!(await store.updateView(deps.db, id, body.version, changes, deps.now()))) throw stale();
  return getView(deps, userId, id);
}

export async function deleteView(deps: Deps, userId: string, id: string, version: number | undefined): Promise<void> {
  const row = await viewFor(deps, userId, id);
  if (version !== undefined && row.version !== version) {
    throw new ApiError('RESOURCE_CONFLICT', `View '${row.name}' changed since you opened it; reload it before deleting.`, { currentVersion: row.version });
  }
  await store.deleteView(deps.db, id);
}
