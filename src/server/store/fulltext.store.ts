import { sql, type Kysely, type RawBuilder } from 'kysely';
import { runStatuses, statusWords } from '../../shared/run-status.js';
import type { Db } from './db.js';
import type { Database } from './schema.js';

/**
 * The studio's full-text search over a run: display name, description, submitter and tags
 * are indexed per run; the experiment's name is matched through the run's experiment, so a
 * rename is one row and never rewrites the index of its runs. Status (raw and as the
 * studio's word) is matched in SQL, so a status change, the most frequent write, never
 * touches the index. Both dialects index the same normalised words (letters and digits,
 * lower-cased), so `q` means the same everywhere: every word of the query must start a word
 * of the run, of its experiment's name or of its status.
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

/**
 * For each query word, the experiments (of the search's scope; every one when null) with a
 * word of their name starting with it. Names are few and short beside runs, and are matched
 * with the same `searchWords` as the index, so a name matches exactly as when it was indexed
 * with each run.
 */
async function experimentsNamed(db: Db, words: string[], experimentIds: number[] | null) {
  if (experimentIds !== null && experimentIds.length === 0) return { inScope: 0, byWord: new Map<string, number[]>() };
  let query = db.kysely.selectFrom('experiments').select(['experiment_id', 'name']);
  if (experimentIds !== null) query = query.where('experiment_id', 'in', experimentIds);
  const named = (await query.execute()).map((e) => ({ id: Number(e.experiment_id), words: searchWords(e.name) }));
  const byWord = new Map(words.map((w) => [w, named.filter((e) => e.words.some((x) => x.startsWith(w))).map((e) => e.id)]));
  return { inScope: named.length, byWord };
}

/**
 * The SQL condition "run `r` matches q", using the index; null when q has no words or every
 * run of the scope matches. `experimentIds` is the search's scope (null: every experiment).
 */
export async function fullTextCondition(db: Db, q: string, experimentIds: number[] | null): Promise<RawBuilder<boolean> | null> {
  const words = searchWords(q).slice(0, 16);
  if (words.length === 0) return null;
  const { inScope, byWord } = await experimentsNamed(db, words, experimentIds);
  const plain: string[] = [];
  const conds: Array<RawBuilder<boolean>> = [];
  for (const word of words) {
    const statuses = statusesMatching(word);
    const experiments = byWord.get(word) ?? [];
    // Every experiment searched is named with this word: every run in scope matches it.
    if (experimentIds !== null && inScope > 0 && experiments.length === inScope) continue;
    if (statuses.length === 0 && experiments.length === 0) {
      plain.push(word);
      continue;
    }
    const either = [wordCondition(db.dialect, [word])];
    if (statuses.length > 0) either.unshift(sql<boolean>`r.status IN (${sql.join(statuses)})`);
    if (experiments.length > 0) either.unshift(sql<boolean>`r.experiment_id IN (${sql.join(experiments)})`);
    conds.push(sql<boolean>`(${sql.join(either, sql` OR `)})`);
  }
  // The words only a run's own text can match go to the index in one query, as before.
  if (plain.length > 0) conds.unshift(wordCondition(db.dialect, plain));
  return conds.length > 0 ? sql<boolean>`(${sql.join(conds, sql` AND `)})` : null;
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
  const runs = await db.selectFrom('runs').select(['id', 'run_uuid', 'run_name', 'user_id']).where('run_uuid', 'in', runIds).execute();
  if (runs.length === 0) return;
  const tags = await db.selectFrom('tags').select(['run_uuid', 'key', 'value']).where('run_uuid', 'in', runIds).execute();
  const tagText = new Map<string, string[]>();
  for (const tag of tags) {
    const system = tag.key.startsWith('mlflow.') || tag.key.startsWith('runstudio.');
    if (system && !indexedSystemTags.has(tag.key)) continue;
    const parts = tagText.get(tag.run_uuid) ?? [];
    parts.push(system ? tag.value : `${tag.key} ${tag.value}`);
    tagText.set(tag.run_uuid, parts);
  }
  const bodies = runs.map((run) => ({ id: Number(run.id), body: searchWords([run.run_name, run.user_id, ...(tagText.get(run.run_uuid) ?? [])].join(' ')).join(' ') }));
  // One statement per chunk, not per run: a chunk of 500 is two statements.
  if (dialect === 'sqlite') {
    await sql`DELETE FROM runs_fts WHERE rowid IN (${sql.join(bodies.map((b) => b.id))})`.execute(db);
    await sql`INSERT INTO runs_fts (rowid, body) VALUES ${sql.join(bodies.map((b) => sql`(${b.id}, ${b.body})`))}`.execute(db);
  } else {
    const values = sql.join(bodies.map((b) => sql`(${b.id}::bigint, ${b.body}::text)`));
    await sql`UPDATE runs SET search_tsv = to_tsvector('simple', v.body) FROM (VALUES ${values}) AS v(id, body) WHERE runs.id = v.id`.execute(db);
  }
}

/**
 * Rebuilds the search text of every run, a chunk per transaction: for the migration that took
 * experiment names out of each run's text. Restartable: a run rebuilt twice gets the same text.
 */
export async function rebuildAllSearchText(db: Kysely<Database>, dialect: Db['dialect']): Promise<void> {
  for (let after = -1; ; ) {
    const chunk = await db.selectFrom('runs').select(['id', 'run_uuid']).where('id', '>', after).orderBy('id').limit(500).execute();
    if (chunk.length === 0) return;
    await refreshChunk(db, dialect, chunk.map((r) => r.run_uuid));
    after = Number(chunk[chunk.length - 1]!.id);
  }
}
