import { sql, type RawBuilder } from 'kysely';
import type { Clause, OrderBy } from '../../shared/filter/parse.js';
import { invalidParameter } from '../errors.js';
import type { Db } from './db.js';
import { fullTextCondition } from './fulltext.store.js';
import { clauseRunsSql, clauseToSql, runColumns } from './run-filter.sql.js';
import type { RunRow } from './runs.store.js';

export interface RunSearch {
  /** null: every experiment. */
  experimentIds: number[] | null;
  clauses: Clause[];
  orderBy: OrderBy[];
  viewType: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
  q?: string | undefined;
  /** undefined: any run; null: top-level runs; a run id: its direct children. */
  parentRunId?: string | null | undefined;
  /** Only these runs (bounded by the caller). */
  runIds?: string[] | undefined;
  pageToken?: string | undefined;
  pageSize: number;
  withTotal?: boolean;
}

type Cond = RawBuilder<unknown>;

/** One sort key: rows without a value come last whatever the direction, as in MLflow. */
interface SortKey {
  join: Cond | null;
  /** An entity key's inner join to the rows that have a value (not NaN), or null. */
  present: Cond | null;
  value: Cond;
  missing: Cond | null;
  ascending: boolean;
  integer: boolean;
}

interface Cursor {
  o: string;
  k: Array<[0 | 1, string | number | null]>;
  id: string;
}

const entityTable = { metric: 'latest_metrics', param: 'params', tag: 'tags' } as const;

/** Filter clauses that PostgreSQL may plan as joins; the rest are filters on what they find. */
export const PLANNED_JOINS = 6;

/**
 * Text sorts byte-wise on both stores (PostgreSQL's default collation would not), so an
 * order and its pages are the same whichever database is behind the server.
 */
function textKey(dialect: Db['dialect'], expr: Cond): Cond {
  return dialect === 'postgres' ? sql`${expr} COLLATE "C"` : expr;
}

function sortKeys(dialect: Db['dialect'], orderBy: OrderBy[]): SortKey[] {
  const keys: SortKey[] = [];
  let hasStart = false;
  orderBy.forEach((o, i) => {
    if (o.entity === 'attribute') {
      const column = runColumns[o.key];
      if (!column) throw invalidParameter(`Invalid order_by attribute '${o.key}'`);
      if (o.key === 'run_id') return;
      if (o.key === 'start_time') hasStart = true;
      keys.push({
        join: null,
        present: null,
        value: column.integer ? sql.ref(column.column) : textKey(dialect, sql.ref(column.column)),
        missing: column.nullable ? sql`(${sql.ref(column.column)} IS NULL)` : null,
        ascending: o.ascending,
        integer: column.integer,
      });
      return;
    }
    const alias = sql.raw(`o${i}`);
    const table = sql.table(entityTable[o.entity]);
    keys.push({
      join: sql`LEFT JOIN ${table} AS ${alias} ON ${alias}.run_uuid = r.run_uuid AND ${alias}.key = ${o.key}`,
      present: sql`JOIN ${table} AS ${alias} ON ${alias}.run_uuid = r.run_uuid AND ${alias}.key = ${o.key}${o.entity === 'metric' ? sql` AND ${alias}.is_nan = 0` : sql``}`,
      value: o.entity === 'metric' ? sql`${alias}.value` : textKey(dialect, sql`${alias}.value`),
      missing:
        o.entity === 'metric'
          ? sql`(${alias}.run_uuid IS NULL OR ${alias}.is_nan = 1)`
          : sql`(${alias}.run_uuid IS NULL)`,
      ascending: o.ascending,
      integer: false,
    });
  });
  // MLflow's tie-breakers: newest first, then run id.
  if (!hasStart) keys.push({ join: null, present: null, value: sql.ref('r.start_time'), missing: null, ascending: false, integer: true });
  return keys;
}

function orderSignature(orderBy: OrderBy[]): string {
  return orderBy.map((o) => `${o.entity}.${o.key}.${o.ascending ? 'a' : 'd'}`).join('|');
}

function decodeToken(token: string, signature: string, keys: SortKey[]): Cursor {
  let cursor: Cursor;
  try {
    cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw invalidParameter(`Invalid page token '${token.slice(0, 40)}'`);
  }
  if (
    typeof cursor !== 'object' ||
    cursor === null ||
    cursor.o !== signature ||
    typeof cursor.id !== 'string' ||
    !Array.isArray(cursor.k) ||
    cursor.k.length !== keys.length ||
    !cursor.k.every((k, i) => Array.isArray(k) && (k[0] === 0 || k[0] === 1) && (keys[i]!.integer ? Number.isSafeInteger(k[1]) || k[0] === 1 : true))
  ) {
    throw invalidParameter('Invalid page token: it does not belong to this search order; start again without page_token');
  }
  return cursor;
}

/** Rows strictly after the cursor in the sort order; a keyset, so deep pages stay fast. */
function afterCursor(keys: SortKey[], cursor: Cursor, index = 0): Cond {
  if (index === keys.length) return sql`r.run_uuid > ${cursor.id}`;
  const key = keys[index]!;
  const [wasMissing, last] = cursor.k[index]!;
  const rest = afterCursor(keys, cursor, index + 1);
  if (wasMissing === 1) return key.missing ? sql`(${key.missing} AND ${rest})` : rest;
  const beyond = sql`${key.value} ${sql.raw(key.ascending ? '>' : '<')} ${last}`;
  const tie = sql`(${key.value} = ${last} AND ${rest})`;
  if (!key.missing) {
    // The redundant bound lets the database seek straight to the page for the first key.
    const bound = index === 0 ? sql`${key.value} ${sql.raw(key.ascending ? '>=' : '<=')} ${last} AND ` : sql``;
    return sql`(${bound}(${beyond} OR ${tie}))`;
  }
  return sql`(${key.missing} OR (NOT ${key.missing} AND (${beyond} OR ${tie})))`;
}

/** A clause matching at most this many runs is handed to PostgreSQL as the list of their ids. */
const SMALL_SET = 5000;

/** The clauses whose runs are one range of a (key, value) index, so asking for them is cheap. */
function isIndexRange(clause: Clause): boolean {
  if (clause.entity === 'metric') return ['=', '<', '<=', '>', '>='].includes(clause.comparator);
  return (clause.entity === 'param' || clause.entity === 'tag') && clause.comparator === '=';
}

/**
 * PostgreSQL estimates `key = … AND value < …` from the value histogram of every key at once
 * (`metrics.loss < 2.5` looked like 22 % of the runs when it is 2 %), so it applied such a
 * filter last, after joining and sorting every run. Each clause among the first PLANNED_JOINS
 * that is one index range (isIndexRange) is first asked, in parallel, for up to SMALL_SET + 1
 * run ids in the index's order (so the index is read, not the table); the smallest set that
 * fits stands in for its clause as `run_uuid = ANY(ids)`, a size the planner knows. The same
 * runs match: only the way to find them changes.
 */
async function smallestClauseSet(db: Db, clauses: Clause[]): Promise<{ index: number; ids: string[] } | null> {
  if (db.dialect !== 'postgres') return null;
  const sets = await Promise.all(
    clauses.slice(0, PLANNED_JOINS).map(async (clause, index) => {
      const runs = isIndexRange(clause) ? clauseRunsSql(db.dialect, clause) : null;
      if (!runs) return null;
      const { rows } = await sql<{ run_uuid: string }>`${runs} ORDER BY value LIMIT ${SMALL_SET + 1}`.execute(db.kysely);
      return rows.length <= SMALL_SET ? { index, ids: rows.map((row) => row.run_uuid) } : null;
    }),
  );
  let best: { index: number; ids: string[] } | null = null;
  for (const set of sets) if (set && (!best || set.ids.length < best.ids.length)) best = set;
  return best;
}

function whereConditions(db: Db, search: RunSearch, text: Cond | null, narrowed: { index: number; ids: string[] } | null): Cond[] {
  const conds: Cond[] = [];
  if (search.viewType !== 'ALL') conds.push(sql`r.lifecycle_stage = ${search.viewType === 'ACTIVE_ONLY' ? 'active' : 'deleted'}`);
  if (search.experimentIds !== null) {
    conds.push(search.experimentIds.length === 0 ? sql`1 = 0` : sql`r.experiment_id IN (${sql.join(search.experimentIds)})`);
  }
  if (search.parentRunId === null) conds.push(sql`r.parent_run_id IS NULL`);
  else if (search.parentRunId !== undefined) conds.push(sql`r.parent_run_id = ${search.parentRunId}`);
  if (search.runIds) conds.push(search.runIds.length === 0 ? sql`1 = 0` : sql`r.run_uuid IN (${sql.join(search.runIds)})`);
  if (text) conds.push(text);
  search.clauses.forEach((clause, i) => {
    if (narrowed?.index === i) {
      conds.push(sql`r.run_uuid = ANY(${narrowed.ids}::text[])`);
      return;
    }
    const cond = clauseToSql(db.dialect, clause);
    // PostgreSQL turns each `IN (SELECT …)` into a semi-join, and planning N of them grows
    // far faster than N (200 clauses: 14 s to plan). Past the first few, IS TRUE keeps a
    // clause a hashed subplan: its subquery still runs once, and planning stays linear.
    conds.push(db.dialect === 'postgres' && i >= PLANNED_JOINS && clause.entity !== 'attribute' ? sql`(${cond}) IS TRUE` : cond);
  });
  return conds;
}

/** `SELECT r.*` with the sort keys, in order: the rows of one page (and one more). */
function pageQuery(keys: SortKey[], conds: Cond[], limit: number) {
  const where = conds.length > 0 ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``;
  const joins = sql.join(keys.flatMap((k) => (k.join ? [k.join] : [])), sql` `);
  const order = keys.flatMap((k) => [
    ...(k.missing ? [sql`${k.missing} ASC`] : []),
    sql`${k.value} ${sql.raw(k.ascending ? 'ASC' : 'DESC')}`,
  ]);
  order.push(sql`r.run_uuid ASC`);
  const keyColumns = keys.map((k, i) => sql`${k.missing ? sql`CASE WHEN ${k.missing} THEN 1 ELSE 0 END` : sql`0`} AS ${sql.raw(`k${i}_m`)}, ${k.value} AS ${sql.raw(`k${i}_v`)}`);
  return sql<RunRow & Record<string, unknown>>`
    SELECT r.*, ${sql.join(keyColumns)} FROM runs r ${joins} ${where}
    ORDER BY ${sql.join(order)} LIMIT ${limit}`;
}

/**
 * The rows of one page. On PostgreSQL, an order by a metric, param or tag is asked in two
 * parts, as its first sort key puts them: the runs that have a value, by an inner join the
 * planner can walk in the order of the (key, value) index, stopping at the page's end; then,
 * only when the page is not full, the runs without one. One LEFT JOIN ordered by "missing"
 * first could not use the index: every matching run was joined and sorted.
 */
async function pageRows(db: Db, keys: SortKey[], conds: Cond[], cursor: Cursor | null, limit: number, split: boolean) {
  const after = (k: SortKey[]) => (cursor ? [...conds, afterCursor(k, cursor)] : conds);
  const [first, ...rest] = keys;
  if (!split || !first?.present || !first.missing) return (await pageQuery(keys, after(keys), limit).execute(db.kysely)).rows;
  const present = [{ ...first, join: first.present, missing: null }, ...rest];
  const rows = cursor?.k[0]?.[0] === 1 ? [] : (await pageQuery(present, after(present), limit).execute(db.kysely)).rows;
  if (rows.length < limit) rows.push(...(await pageQuery(keys, [...after(keys), first.missing], limit - rows.length).execute(db.kysely)).rows);
  return rows;
}

/** One page of runs matching a search, in order, with a keyset token for the next page. */
export async function searchRunRows(
  db: Db,
  search: RunSearch,
): Promise<{ rows: RunRow[]; nextPageToken: string | null; total: number | null }> {
  const keys = sortKeys(db.dialect, search.orderBy);
  const signature = orderSignature(search.orderBy);
  const cursor = search.pageToken ? decodeToken(search.pageToken, signature, keys) : null;
  const text = search.q ? await fullTextCondition(db, search.q, search.experimentIds) : null;
  const narrowed = await smallestClauseSet(db, search.clauses);
  const conds = whereConditions(db, search, text, narrowed);
  const where = conds.length > 0 ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``;
  // With a small set of runs to sort, one query sorts them; else walk the index in two parts.
  const split = db.dialect === 'postgres' && narrowed === null;
  const [rows, total] = await Promise.all([
    pageRows(db, keys, conds, cursor, search.pageSize + 1, split),
    search.withTotal ? sql<{ n: number | string }>`SELECT count(*) AS n FROM runs r ${where}`.execute(db.kysely) : null,
  ]);
  let nextPageToken: string | null = null;
  if (rows.length > search.pageSize) {
    rows.length = search.pageSize;
    const last = rows[rows.length - 1]!;
    const cursor: Cursor = {
      o: signature,
      k: keys.map((_, i) => [Number(last[`k${i}_m`]) === 1 ? 1 : 0, (last[`k${i}_v`] ?? null) as string | number | null]),
      id: last.run_uuid,
    };
    nextPageToken = Buffer.from(JSON.stringify(cursor)).toString('base64url');
  }
  const cleaned = rows.map((row) => {
    const copy: Record<string, unknown> = { ...row };
    for (const key of Object.keys(copy)) if (/^k\d+_[mv]$/.test(key) || key === 'search_tsv') delete copy[key];
    return copy as unknown as RunRow;
  });
  return { rows: cleaned, nextPageToken, total: total ? Number(total.rows[0]?.n ?? 0) : null };
}
