import { z } from 'zod';
import { explorerState, parseExplorerState, type ExplorerState } from './explorer-state.js';

/**
 * A saved view: the explorer's state under a name, private to its owner or shared with the
 * workspace. `version` counts saves (a save of an older version is refused with 409);
 * the stored state carries `schemaVersion` so views saved by an older studio still open.
 */
export const VIEW_SCHEMA_VERSION = 1;

export const viewVisibility = z.enum(['private', 'shared']);
export type ViewVisibility = z.infer<typeof viewVisibility>;

const viewName = z.string().trim().min(1, 'a view needs a name').max(200);

export const createViewBody = z.object({
  name: viewName,
  visibility: viewVisibility.optional().default('private'),
  /** null: All runs; an id: that experiment's runs. */
  experimentId: z.string().regex(/^\d+$/).nullable().optional().default(null),
  state: explorerState.omit({ view: true }),
});

export const updateViewBody = z.object({
  /** The version this edit starts from; an older one than stored is a 409. */
  version: z.number().int().min(1),
  name: viewName.optional(),
  visibility: viewVisibility.optional(),
  state: explorerState.omit({ view: true }).optional(),
  /** A new owner, by user name: admins only. */
  owner: z.string().max(64).optional(),
});

/** The most a view's stored state may take, serialised; past it a save is a 400. */
export const MAX_VIEW_STATE_BYTES = 64 * 1024;

export const deleteViewQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

export const savedViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  visibility: viewVisibility,
  experimentId: z.string().nullable(),
  state: explorerState,
  version: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Whether the person asking owns it. */
  mine: z.boolean(),
  /** The owner's user name; null when no user has that id (a removed user, an anonymous era view). */
  owner: z.string().nullable(),
  /** Whether the person asking may change it: their own private view, a shared one as a contributor, any as an admin. */
  editable: z.boolean(),
});
export type SavedView = z.infer<typeof savedViewSchema>;

/** A view as the picker lists it: everything but its state (GET /views/:id has that). */
export const viewSummarySchema = savedViewSchema.omit({ state: true });
export type ViewSummary = z.infer<typeof viewSummarySchema>;

type Migration = (state: Record<string, unknown>) => Record<string, unknown>;
/** Migrations from each schema version to the next; none yet beyond the first. */
const migrations: Record<number, Migration> = {};

/** Reads a stored state of any schema version as today's explorer state. */
export function migrateViewState(stored: unknown): ExplorerState {
  let state = (typeof stored === 'object' && stored !== null ? { ...(stored as Record<string, unknown>) } : {}) as Record<string, unknown>;
  let version = typeof state.schemaVersion === 'number' ? state.schemaVersion : 1;
  while (version < VIEW_SCHEMA_VERSION) {
    state = migrations[version]?.(state) ?? state;
    version += 1;
  }
  delete state.schemaVersion;
  return parseExplorerState(state);
}
