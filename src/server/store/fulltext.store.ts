import { sql, type Kysely } from 'kysely';
import { runStatuses, statusWords } from '../../shared/run-status.js';
import type { Db } from './db.js';
import type { Database } from './schema.js';

/**
 * The studio's full-text search over a run: display name, description, experiment name,
 * submitter and tags are indexed; status (raw and as the studio's word) is matched in SQL,
 * so a status change, the most frequent write, never touches the index. Both dialects index
 * the same normalised words (letters and digits, lower-cased), so `q` means the same
 * everywhere: every word of the query must start a word of the run or of its status.
 */
export function searchWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 20_000);
}

const indexedSystemTags = new Set(['mlflow.note.content', 'runstudio.compute']);

/** Statuses whose MLflow name or studio word starts with `word`. */
function statusesMatching(word: string): string[] {
  return runStatuses.filter((s) => s.toLowerCase().startsWith(word) || statusWords[s].toLowerCase().startsWith(word));
}

function wordCondition(dialect: Db['dialect'], words: string[]) {
  if (dialect === 'sqlite') {
    const match = words.map((w) => `"${w}"*`).join(' AND ');
    return sql<boolean>`r.id IN (SELECT rowid FROM runs_fts WHERE runs_fts MATCH ${match})`;
  }
  return sql<boolean>`r.search_tsv @@ to_tsquery('simple', ${words.map((w) => `${w}:*`).join(' & ')})`;
}

/** The SQL condition "run `r` matches q", using the index; null when q has no words. */
export function fullTextCondition(dialect: Db['dialect'], q: string) {
  const words = searchWords(q).slice(0, 16);
  if (words.length === 0) return null;
  const plain = words.filter((w) => statusesMatching(w).length === 0);
  const conds = plain.length > 0 ? [wordCondition(dialect, plain)] : [];
  for (const word of words.filter((w) => statusesMatching(w).length > 0)) {
    conds.push(sql<boolean>`(r.status IN (${sql.join(statusesMatching(word))}) OR ${wordCondition(dialect, [word])})`);
  }
  return sql<boolean>`(${sql.join(conds, sql` AND `)})`;
}

/** Whether writing these tags can change what the index holds for a run. */
export function touchesSearchText(tags: ReadonlyArray<{ key: string }>): boolean {
  return tags.some((t) => indexedSystemTags.has(t.key) || t.key === 'mlflow.runName' || !(t.key.startsWith('mlflow.') || t.key.startsWith('runstudio.')));
}

/** Rebuilds the search text of the given runs, inside the caller's transaction. */
export async function refreshSearchText(db: Kysely<Database>, dialect: Db['dialect'], runIds: string[]): Promise<void> {
  for (let i = 0; i < runIds.length; i += 500) {
    await refreshChunk(db, dialect, runIds.slice(i, i + 500));
  }
}

async function refreshChunk(db: Kysely<Database>, dialect: Db['dialect'], runIds: string[]): Promise<void> {
  const runs = await db
    .selectFrom('runs as r')
    .innerJoin('experiments as e', 'e.experiment_id', 'r.experiment_id')
    .select(['r.id', 'r.run_uuid', 'r.run_name', 'r.user_id', 'e.name as experiment_name'])
    .where('r.run_uuid', 'in', runIds)
    .execute();
  const tags = await db.selectFrom('tags').select(['run_uuid', 'key', 'value']).where('run_uuid', 'in', runIds).execute();
  const tagText = new Map<string, string[]>();
  for (const tag of tags) {
    const system = tag.key.startsWith('mlflow.') || tag.key.startsWith('runstudio.');
    if (system && !indexedSystemTags.has(tag.key)) continue;
    const parts = tagText.get(tag.run_uuid) ?? [];
    parts.push(system ? tag.value : `${tag.key} ${tag.value}`);
    tagText.set(tag.run_uuid, parts);
  }
  for (const run of runs) {
    const text = [run.run_name, run.user_id, run.experiment_name, ...(tagText.get(run.run_uuid) ?? [])].join(' ');
    const body = searchWords(text).join(' ');
    if (dialect === 'sqlite') {
      await sql`DELETE FROM runs_fts WHERE rowid = ${run.id}`.execute(db);
      await sql`INSERT INTO runs_fts (rowid, body) VALUES (${run.id}, ${body})`.execute(db);
    } else {
      await sql`UPDATE runs SET search_tsv = to_tsvector('simple', ${body}) WHERE id = ${run.id}`.execute(db);
    }
  }
}

/** Runs of one experiment, for a rename of that experiment. */
export async function runIdsOfExperiment(db: Kysely<Database>, experimentId: number): Promise<string[]> {
  const rows = await db.selectFrom('runs').select('run_uuid').where('experiment_id', '=', experimentId).execute();
  return rows.map((r) => r.run_uuid);
}
