import { sql, type RawBuilder } from 'kysely';
import type { Clause, OrderBy } from '../../shared/filter/parse.js';
import { invalidParameter } from '../errors.js';
import type { Db } from './db.js';
import { fullTextCondition } from './fulltext.store.js';
import { clauseToSql, runColumns } from './run-filter.sql.js';
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
  if (!hasStart) keys.push({ join: null, value: sql.ref('r.start_time'), missing: null, ascending: false, integer: true });
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

function whereConditions(db: Db, search: RunSearch, text: Cond | null): Cond[] {
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
    const cond = clauseToSql(db.dialect, clause);
    // PostgreSQL turns each `IN (SELECT …)` into a semi-join, and planning N of them grows
    // far faster than N (200 clauses: 14 s to plan). Past the first few, IS TRUE keeps a
    // clause a hashed subplan: its subquery still runs once, and planning stays linear.
    conds.push(db.dialect === 'postgres' && i >= PLANNED_JOINS && clause.entity !== 'attribute' ? sql`(${cond}) IS TRUE` : cond);
  });
  return conds;
}

/** One page of runs matching a search, in order, with a keyset token for the next page. */
export async function searchRunRows(
  db: Db,
  search: RunSearch,
): Promise<{ rows: RunRow[]; nextPageToken: string | null; total: number | null }> {
  const keys = sortKeys(db.dialect, search.orderBy);
  const signature = orderSignature(search.orderBy);
  const conds = whereConditions(db, search, search.q ? await fullTextCondition(db, search.q, search.experimentIds) : null);
  const where = conds.length > 0 ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``;
  const pageConds = [...conds];
  if (search.pageToken) pageConds.push(afterCursor(keys, decodeToken(search.pageToken, signature, keys)));
  const pageWhere = pageConds.length > 0 ? sql`WHERE ${sql.join(pageConds, sql` AND `)}` : sql``;
  const joins = sql.join(keys.flatMap((k) => (k.join ? [k.join] : [])), sql` `);
  const order = keys.flatMap((k) => [
    ...(k.missing ? [sql`${k.missing} ASC`] : []),
    sql`${k.value} ${sql.raw(k.ascending ? 'ASC' : 'DESC')}`,
  ]);
  order.push(sql`r.run_uuid ASC`);
  const keyColumns = keys.map((k, i) => sql`${k.missing ? sql`CASE WHEN ${k.missing} THEN 1 ELSE 0 END` : sql`0`} AS ${sql.raw(`k${i}_m`)}, ${k.value} AS ${sql.raw(`k${i}_v`)}`);

  const query = sql<RunRow & Record<string, unknown>>`
    SELECT r.*, ${sql.join(keyColumns)} FROM runs r ${joins} ${pageWhere}
    ORDER BY ${sql.join(order)} LIMIT ${search.pageSize + 1}`;
  const [result, total] = await Promise.all([
    query.execute(db.kysely),
    search.withTotal ? sql<{ n: number | string }>`SELECT count(*) AS n FROM runs r ${where}`.execute(db.kysely) : null,
  ]);
  const rows = result.rows;
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
