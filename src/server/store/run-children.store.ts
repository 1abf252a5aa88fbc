import { sql } from 'kysely';
import type { Db } from './db.js';
import { decodeChildToken, encodeChildToken, type SiblingKey } from './run-children-token.js';
import type { RunRow } from './runs.store.js';
import { childCounts } from './studio-runs.store.js';

/** Deeper than this, a chain of parent tags is taken for a cycle and not followed. */
export const MAX_DEPTH = 100;

type SiblingRow = RunRow & { hasChildren: boolean };

/** One open list of siblings during the walk: the children of `parentId` after `after`. */
interface Frame {
  parentId: string;
  /** Sort keys from the top of the tree down to `parentId`; a child's path adds its own. */
  path: SiblingKey[];
  after: SiblingKey | null;
  buffer: SiblingRow[];
  exhausted: boolean;
}

export interface ChildPageRequest {
  recursive: boolean;
  pageSize: number;
  pageToken?: string | undefined;
}

/**
 * Up to `limit` active children of one run after a sibling key, newest first (start time
 * descending, then run id byte-wise), each with whether it has children itself. The
 * runs_children index makes this a seek, however many siblings there are.
 */
async function siblingsAfter(db: Db, parentId: string, after: SiblingKey | null, limit: number): Promise<SiblingRow[]> {
  const id = db.dialect === 'postgres' ? sql`r.run_uuid COLLATE "C"` : sql`r.run_uuid`;
  // The redundant `start_time <=` bound lets the database seek straight to the page.
  const seek = after ? sql`AND r.start_time <= ${after[0]} AND (r.start_time < ${after[0]} OR ${id} > ${after[1]})` : sql``;
  const { rows } = await sql<RunRow>`
    SELECT r.id, r.run_uuid, r.experiment_id, r.run_name, r.user_id, r.status, r.start_time, r.end_time,
           r.lifecycle_stage, r.artifact_uri, r.parent_run_id, r.deleted_time
    FROM runs r
    WHERE r.parent_run_id = ${parentId} AND r.lifecycle_stage = 'active' ${seek}
    ORDER BY r.start_time DESC, ${id} ASC
    LIMIT ${limit}`.execute(db.kysely);
  const counts = await childCounts(db, rows.map((r) => r.run_uuid));
  return rows.map((row) => ({ ...row, hasChildren: counts.has(row.run_uuid) }));
}

/** The open sibling lists that continue after the row a page token points at, outermost first. */
function framesAfter(runId: string, path: SiblingKey[], maxDepth: number): Frame[] {
  const frames: Frame[] = [];
  for (let level = 0; level <= path.length && level < maxDepth; level += 1) {
    frames.push({ parentId: level === 0 ? runId : path[level - 1]![1], path: path.slice(0, level), after: path[level] ?? null, buffer: [], exhausted: false });
  }
  return frames;
}

/**
 * One page of the runs below `runId`: direct children newest first, or (recursive) the
 * whole tree in depth-first pre-order, each run followed by its own subtree.
 *
 * A depth-first walk over keyset pages of siblings, resumed from the token's path: the
 * work is bounded by the page, not by the tree, and no id list is ever bound into SQL. A
 * run found again on its own path (a cycle of parent tags) is skipped; the depth is bounded.
 */
export async function childRunPage(db: Db, runId: string, request: ChildPageRequest): Promise<{ rows: Array<RunRow & { depth: number }>; nextPageToken: string | null }> {
  const maxDepth = request.recursive ? MAX_DEPTH : 1;
  const start = request.pageToken ? decodeChildToken(request.pageToken, runId, request.recursive, maxDepth) : [];
  const stack = framesAfter(runId, start, maxDepth);
  const want = request.pageSize + 1;
  const out: Array<{ row: SiblingRow; path: SiblingKey[] }> = [];
  while (stack.length > 0 && out.length < want) {
    const frame = stack[stack.length - 1]!;
    if (frame.buffer.length === 0 && !frame.exhausted) {
      const limit = want - out.length;
      frame.buffer = await siblingsAfter(db, frame.parentId, frame.after, limit);
      frame.exhausted = frame.buffer.length < limit;
    }
    const row = frame.buffer.shift();
    if (!row) {
      stack.pop();
      continue;
    }
    const key: SiblingKey = [Number(row.start_time), row.run_uuid];
    frame.after = key;
    if (row.run_uuid === runId || frame.path.some(([, id]) => id === row.run_uuid)) continue;
    const path = [...frame.path, key];
    out.push({ row, path });
    if (row.hasChildren && path.length < maxDepth) stack.push({ parentId: row.run_uuid, path, after: null, buffer: [], exhausted: false });
  }
  const page = out.slice(0, request.pageSize);
  const nextPageToken = out.length > request.pageSize ? encodeChildToken(runId, page[page.length - 1]!.path, request.recursive) : null;
  return {
    rows: page.map(({ row, path }) => {
      const { hasChildren: _, ...run } = row;
      return { ...run, depth: path.length };
    }),
    nextPageToken,
  };
}
