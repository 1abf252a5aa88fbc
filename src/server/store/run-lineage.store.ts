import { sql } from 'kysely';
import type { Db } from './db.js';

/** The chain of parents of a run, nearest first (a cycle of parent tags stops the walk). */
export async function ancestorIds(db: Db, runId: string): Promise<Array<{ runId: string; runName: string; depth: number }>> {
  const { rows } = await sql<{ run_uuid: string; run_name: string; depth: number | string }>`
    WITH RECURSIVE up(run_uuid, depth) AS (
      SELECT parent_run_id, 1 FROM runs WHERE run_uuid = ${runId} AND parent_run_id IS NOT NULL
      UNION
      SELECT r.parent_run_id, u.depth + 1 FROM runs r JOIN up u ON r.run_uuid = u.run_uuid
      WHERE r.parent_run_id IS NOT NULL AND u.depth < 100
    )
    SELECT r.run_uuid, r.run_name, min(up.depth) AS depth FROM up JOIN runs r ON r.run_uuid = up.run_uuid
    GROUP BY r.run_uuid, r.run_name ORDER BY depth`.execute(db.kysely);
  return rows.map((r) => ({ runId: r.run_uuid, runName: r.run_name, depth: Number(r.depth) }));
}
