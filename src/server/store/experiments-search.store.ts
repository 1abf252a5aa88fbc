import { sql, type RawBuilder } from 'kysely';
import type { Clause, OrderBy } from '../../shared/filter/parse.js';
import type { Experiment } from '../../shared/mlflow/types.js';
import { invalidParameter } from '../errors.js';
import type { Db } from './db.js';
import { withTags } from './experiments.store.js';
import type { ExperimentsTable } from './schema.js';

type Cond = RawBuilder<unknown>;

const columns: Record<string, string> = {
  name: 'e.name',
  experiment_id: 'e.experiment_id',
  creation_time: 'e.creation_time',
  last_update_time: 'e.last_update_time',
};

function clauseToSql(dialect: Db['dialect'], clause: Clause): Cond {
  const target =
    clause.entity === 'tag'
      ? sql`(SELECT value FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ${clause.key})`
      : sql.ref(columns[clause.key] ?? 'e.name');
  const v = clause.value;
  switch (clause.comparator) {
    case 'LIKE':
      return sql`${target} LIKE ${v} ESCAPE '\\'`;
    case 'ILIKE':
      return dialect === 'postgres' ? sql`${target} ILIKE ${v} ESCAPE '\\'` : sql`lower(${target}) LIKE lower(${v}) ESCAPE '\\'`;
    case 'IN':
      return sql`${target} IN (${sql.join(v as string[])})`;
    case 'NOT IN':
      return sql`${target} NOT IN (${sql.join(v as string[])})`;
    case 'IS NULL':
      return sql`${target} IS NULL`;
    case 'IS NOT NULL':
      return sql`${target} IS NOT NULL`;
    default:
      if (typeof v === 'number' && !Number.isSafeInteger(v)) throw invalidParameter(`Expected an integer value for '${clause.key}', got ${v}`);
      return sql`${target} ${sql.raw(clause.comparator)} ${v}`;
  }
}

/** MLflow's experiments/search: filter, order and offset pages (experiments are few). */
export async function searchExperiments(
  db: Db,
  search: { clauses: Clause[]; orderBy: OrderBy[]; viewType: string; maxResults: number; offset: number },
): Promise<{ experiments: Experiment[]; hasMore: boolean }> {
  const conds: Cond[] = search.clauses.map((c) => clauseToSql(db.dialect, c));
  if (search.viewType !== 'ALL') conds.push(sql`e.lifecycle_stage = ${search.viewType === 'ACTIVE_ONLY' ? 'active' : 'deleted'}`);
  const where = conds.length > 0 ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``;
  const order = search.orderBy.map((o) => sql`${sql.ref(columns[o.key] ?? 'e.name')} ${sql.raw(o.ascending ? 'ASC' : 'DESC')}`);
  if (!search.orderBy.some((o) => o.key === 'creation_time')) order.push(sql`e.creation_time DESC`);
  order.push(sql`e.experiment_id ASC`);
  const { rows } = await sql<ExperimentsTable & { experiment_id: number }>`
    SELECT e.* FROM experiments e ${where} ORDER BY ${sql.join(order)}
    LIMIT ${search.maxResults + 1} OFFSET ${search.offset}`.execute(db.kysely);
  const hasMore = rows.length > search.maxResults;
  if (hasMore) rows.length = search.maxResults;
  return { experiments: await withTags(db.kysely, rows), hasMore };
}
