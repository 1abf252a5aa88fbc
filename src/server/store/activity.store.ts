import type { Kysely } from 'kysely';
import type { Activity } from '../../shared/studio/auth.js';
import type { Db } from './db.js';
import type { Database } from './schema.js';

export interface ActivityEntry {
  runId: string;
  at: number;
  user: string;
  action: Activity['action'];
  detail: string | null;
}

/** Records changes in the caller's transaction, so a change and its record land together. */
export async function insertActivity(trx: Kysely<Database>, entries: ActivityEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await trx
    .insertInto('run_activity')
    .values(entries.map((e) => ({ run_uuid: e.runId, at: e.at, user_name: e.user, action: e.action, detail: e.detail })))
    .execute();
}

/** A run's activity, newest first. */
export async function listActivity(db: Db, runId: string, limit: number): Promise<Activity[]> {
  const rows = await db.kysely.selectFrom('run_activity').select(['at', 'user_name', 'action', 'detail']).where('run_uuid', '=', runId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({ at: row.at, user: row.user_name, action: row.action as Activity['action'], detail: row.detail }));
}
