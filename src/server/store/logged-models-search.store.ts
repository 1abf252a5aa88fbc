import { sql, type RawBuilder } from 'kysely';
import type { AttributeSpec, Clause } from '../../shared/filter/parse.js';
import { invalidParameter } from '../errors.js';
import type { Db } from './db.js';
import type { LoggedModelRow } from './logged-models.store.js';
import { compare } from './run-filter.sql.js';
import { PLANNED_JOINS } from './runs-search.store.js';

/** What a logged-model filter may name (MLflow's SearchLoggedModels). */
export const modelAttributes: AttributeSpec = {
  numeric: new Set(['creation_timestamp', 'last_updated_timestamp']),
  string: new Set(['name', 'model_id', 'model_type', 'status', 'source_run_id']),
  aliases: { creation_time: 'creation_timestamp', created: 'creation_timestamp', last_updated_time: 'last_updated_timestamp', run_id: 'source_run_id' },
  entities: new Set(['metric', 'param', 'tag', 'attribute']),
  orderable: new Set(['name', 'model_id', 'model_type', 'status', 'source_run_id', 'creation_timestamp', 'last_updated_timestamp']),
};

const columns: Record<string, string> = {
  name: 'm.name',
  model_id: 'm.model_id',
  model_type: 'm.model_type',
  status: 'm.status',
  source_run_id: 'm.source_run_id',
  creation_timestamp: 'm.creation_time',
  last_updated_timestamp: 'm.last_updated_time',
};

export interface DatasetRef {
  dataset_name: string;
  dataset_digest?: string | undefined;
}

export interface ModelOrder {
  field: { entity: 'attribute' | 'metric'; key: string };
  ascending: boolean;
  /** For a metric: only its points logged against this dataset. */
  dataset?: DatasetRef | undefined;
}

export interface ModelSearch {
  experimentIds: number[];
  clauses: Clause[];
  /** Metric clauses consider only points logged against one of these (all points when empty). */
  datasets: DatasetRef[];
  orderBy: ModelOrder[];
  offset: number;
  pageSize: number;
}

type Cond = RawBuilder<unknown>;

function datasetCond(datasets: DatasetRef[]): Cond {
  if (datasets.length === 0) return sql`1 = 1`;
  return sql`(${sql.join(
    datasets.map((d) => (d.dataset_digest === undefined ? sql`dataset_name = ${d.dataset_name}` : sql`(dataset_name = ${d.dataset_name} AND dataset_digest = ${d.dataset_digest})`)),
    sql` OR `,
  )})`;
}

/**
 * A model's value of a metric is its latest point (latest time, then highest step: MLflow's
 * order), among the points logged against the given datasets: a correlated lookup that the
 * unique index (model_id, key, timestamp, step, run_uuid) answers in a few steps per model.
 * `value` is NULL for NaN and for a model without the metric; `is_nan` is NULL for the latter.
 */
function latestPoint(key: string, datasets: DatasetRef[], column: 'value' | 'is_nan'): Cond {
  const select = column === 'value' ? sql`CASE WHEN x.is_nan = 1 THEN NULL ELSE x.value END` : sql`x.is_nan`;
  return sql`(SELECT ${select} FROM logged_model_metrics x WHERE x.model_id = m.model_id AND x.key = ${key} AND ${datasetCond(datasets)}
    ORDER BY x.timestamp DESC, x.step DESC, x.run_uuid DESC LIMIT 1)`;
}

function clauseSql(dialect: Db['dialect'], clause: Clause, datasets: DatasetRef[]): Cond {
  if (clause.entity === 'attribute') {
    const column = columns[clause.key];
    if (!column) throw invalidParameter(`Invalid attribute key '${clause.key}'`);
    return compare(dialect, sql.ref(column), clause);
  }
  if (clause.entity === 'metric') {
    if (clause.comparator === 'IS NULL' || clause.comparator === 'IS NOT NULL') {
      const has = sql`m.model_id IN (SELECT model_id FROM logged_model_metrics WHERE key = ${clause.key} AND ${datasetCond(datasets)})`;
      return clause.comparator === 'IS NULL' ? sql`NOT (${has})` : has;
    }
    // NaN equals nothing and differs from everything; a model without the metric matches nothing.
    const valueCond = compare(dialect, latestPoint(clause.key, datasets, 'value'), clause);
    return clause.comparator === '!=' ? sql`(${latestPoint(clause.key, datasets, 'is_nan')} = 1 OR ${valueCond})` : valueCond;
  }
  if (clause.entity !== 'param' && clause.entity !== 'tag') throw invalidParameter(`Invalid entity '${clause.entity}' for a logged model search`);
  const table = sql.table(clause.entity === 'param' ? 'logged_model_params' : 'logged_model_tags');
  if (clause.comparator === 'IS NULL') return sql`m.model_id NOT IN (SELECT model_id FROM ${table} WHERE key = ${clause.key})`;
  if (clause.comparator === 'IS NOT NULL') return sql`m.model_id IN (SELECT model_id FROM ${table} WHERE key = ${clause.key})`;
  return sql`m.model_id IN (SELECT model_id FROM ${table} WHERE key = ${clause.key} AND ${compare(dialect, sql.ref('value'), clause)})`;
}

/**
 * One page of live logged models in the given experiments: filtered, ordered (metrics by
 * their latest value, models without it last), then newest first and by id, so pages never
 * overlap. Returns one row more than the page when there is another page.
 */
export async function searchModelRows(db: Db, search: ModelSearch): Promise<LoggedModelRow[]> {
  if (search.experimentIds.length === 0) return [];
  const where = [
    sql`m.experiment_id IN (${sql.join(search.experimentIds)})`,
    sql`m.lifecycle_stage = 'active'`,
    // Datasets without a metric clause still narrow the search, as in MLflow: to models with a
    // metric logged against one of them.
    ...(search.datasets.length > 0 && !search.clauses.some((c) => c.entity === 'metric')
      ? [sql`m.model_id IN (SELECT model_id FROM logged_model_metrics WHERE ${datasetCond(search.datasets)})`]
      : []),
    // As in run search: past the first few, IS TRUE keeps a clause a hashed subplan on
    // PostgreSQL, whose planning of many semi-joins otherwise grows far faster than their count.
    ...search.clauses.map((c, i) => {
      const cond = clauseSql(db.dialect, c, search.datasets);
      return db.dialect === 'postgres' && i >= PLANNED_JOINS && c.entity !== 'attribute' ? sql`(${cond}) IS TRUE` : cond;
    }),
  ];
  const columnsOut: Cond[] = [sql`m.*`];
  const orders: Cond[] = [];
  search.orderBy.forEach((order, i) => {
    const direction = sql.raw(order.ascending ? 'ASC' : 'DESC');
    if (order.field.entity === 'attribute') {
      const column = columns[order.field.key];
      if (!column) throw invalidParameter(`Invalid order_by field '${order.field.key}'`);
      const numeric = order.field.key === 'creation_timestamp' || order.field.key === 'last_updated_timestamp';
      // Text byte-wise on both stores, so an order and its pages do not depend on the database.
      const key = numeric || db.dialect !== 'postgres' ? sql.ref(column) : sql`${sql.ref(column)} COLLATE "C"`;
      // Nulls (a model without a source run) last, whichever the direction, on both stores.
      if (order.field.key === 'source_run_id') orders.push(sql`CASE WHEN m.source_run_id IS NULL THEN 1 ELSE 0 END`);
      orders.push(sql`${key} ${direction}`);
      return;
    }
    // Models without the metric (or with NaN) come last, whichever the direction.
    const alias = sql.raw(`o${i}`);
    columnsOut.push(sql`${latestPoint(order.field.key, order.dataset ? [order.dataset] : [], 'value')} AS ${alias}`);
    orders.push(sql`CASE WHEN m.${alias} IS NULL THEN 1 ELSE 0 END`, sql`m.${alias} ${direction}`);
  });
  orders.push(sql`m.creation_time DESC`, db.dialect === 'postgres' ? sql`m.model_id COLLATE "C" ASC` : sql`m.model_id ASC`);
  // The metric order keys are computed once per model in the inner query, then sorted on by name.
  const query = sql<LoggedModelRow>`SELECT * FROM (SELECT ${sql.join(columnsOut)} FROM logged_models m
    WHERE ${sql.join(where, sql` AND `)}) m
    ORDER BY ${sql.join(orders)}
    LIMIT ${search.pageSize + 1} OFFSET ${search.offset}`;
  const { rows } = await query.execute(db.kysely);
  // Only the table's columns: the order keys (o0, o1, …) stay behind.
  return rows.map((r) => ({
    model_id: r.model_id,
    experiment_id: Number(r.experiment_id),
    name: r.name,
    model_type: r.model_type,
    source_run_id: r.source_run_id,
    status: r.status,
    artifact_uri: r.artifact_uri,
    lifecycle_stage: r.lifecycle_stage,
    creation_time: Number(r.creation_time),
    last_updated_time: Number(r.last_updated_time),
  }));
}
