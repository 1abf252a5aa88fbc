import { sql, type RawBuilder } from 'kysely';
import type { Clause, DatasetClause } from '../../shared/filter/parse.js';
import { DATASET_CONTEXT_TAG } from '../../shared/mlflow/datasets.js';
import { invalidParameter } from '../errors.js';
import type { Db } from './db.js';

/** Run attributes that a filter or an order may name, and their column in `runs r`. */
export const runColumns: Record<string, { column: string; integer: boolean; nullable: boolean }> = {
  run_id: { column: 'r.run_uuid', integer: false, nullable: false },
  run_name: { column: 'r.run_name', integer: false, nullable: false },
  status: { column: 'r.status', integer: false, nullable: false },
  user_id: { column: 'r.user_id', integer: false, nullable: false },
  artifact_uri: { column: 'r.artifact_uri', integer: false, nullable: false },
  lifecycle_stage: { column: 'r.lifecycle_stage', integer: false, nullable: false },
  experiment_id: { column: 'r.experiment_id', integer: true, nullable: false },
  start_time: { column: 'r.start_time', integer: true, nullable: false },
  end_time: { column: 'r.end_time', integer: true, nullable: true },
};

const entityTable = { metric: 'latest_metrics', param: 'params', tag: 'tags' } as const;

type Cond = RawBuilder<unknown>;

/** `expr LIKE pattern` with MLflow's meaning: LIKE is case-sensitive, ILIKE is not. */
function like(dialect: Db['dialect'], expr: Cond, pattern: string, insensitive: boolean): Cond {
  if (!insensitive) return sql`${expr} LIKE ${pattern} ESCAPE '\\'`;
  if (dialect === 'postgres') return sql`${expr} ILIKE ${pattern} ESCAPE '\\'`;
  return sql`lower(${expr}) LIKE lower(${pattern}) ESCAPE '\\'`;
}

export function compare(dialect: Db['dialect'], expr: Cond, clause: Clause): Cond {
  const { comparator, value } = clause;
  switch (comparator) {
    case 'LIKE':
    case 'ILIKE':
      return like(dialect, expr, String(value), comparator === 'ILIKE');
    case 'IN':
      return sql`${expr} IN (${sql.join(value as string[])})`;
    case 'NOT IN':
      return sql`${expr} NOT IN (${sql.join(value as string[])})`;
    case 'IS NULL':
      return sql`${expr} IS NULL`;
    case 'IS NOT NULL':
      return sql`${expr} IS NOT NULL`;
    default:
      return sql`${expr} ${sql.raw(comparator)} ${value}`;
  }
}


/**
 * `datasets.name|digest|context <op> …`: runs with at least one dataset input that matches.
 * As in MLflow's SQL store (an inner join), `!=` and `NOT IN` mean "has a dataset input whose
 * name is not …", not "has no dataset input named …": a run with inputs `a` and `b` matches
 * `datasets.name != 'a'`, and a run without inputs (or, for context, without that input tag)
 * matches no dataset clause at all.
 */
function datasetClauseToSql(dialect: Db['dialect'], clause: DatasetClause): Cond {
  if (clause.key === 'context') {
    return sql`r.run_uuid IN (SELECT i.run_uuid FROM run_inputs i JOIN datasets d ON d.id = i.dataset_id
      JOIN run_input_tags t ON t.input_id = i.id AND t.key = ${DATASET_CONTEXT_TAG}
      WHERE ${compare(dialect, sql.ref('t.value'), clause)})`;
  }
  const column = sql.ref(clause.key === 'name' ? 'd.name' : 'd.digest');
  return sql`r.run_uuid IN (SELECT i.run_uuid FROM run_inputs i JOIN datasets d ON d.id = i.dataset_id
    WHERE ${compare(dialect, column, clause)})`;
}

/**
 * Compiles one parsed clause to a condition on `runs r`. Metrics, params and tags become
 * `r.run_uuid IN (SELECT … FROM <table> WHERE key = … AND value <op> …)`, which the
 * (key, value) indexes answer without touching runs that cannot match; datasets likewise
 * through run_inputs.
 */
export function clauseToSql(dialect: Db['dialect'], clause: Clause): Cond {
  if (clause.entity === 'attribute') {
    const column = runColumns[clause.key];
    if (!column) throw invalidParameter(`Invalid attribute key '${clause.key}'`);
    if (column.integer && typeof clause.value === 'number' && !Number.isSafeInteger(clause.value)) {
      throw invalidParameter(`Expected an integer value for attribute '${clause.key}', got ${clause.value}`);
    }
    return compare(dialect, sql.ref(column.column), clause);
  }
  if (clause.entity === 'dataset') return datasetClauseToSql(dialect, clause);
  if (clause.comparator === 'IS NULL') {
    return sql`r.run_uuid NOT IN (SELECT run_uuid FROM ${sql.table(entityTable[clause.entity])} WHERE key = ${clause.key})`;
  }
  return sql`r.run_uuid IN (${clauseRunsSql(dialect, clause)!})`;
}

/**
 * The runs a metric, param or tag clause matches, as `SELECT run_uuid FROM <table> WHERE …`;
 * null for the clauses that are not such a set (attributes, datasets, IS NULL).
 */
export function clauseRunsSql(dialect: Db['dialect'], clause: Clause): Cond | null {
  if (clause.entity === 'attribute' || clause.entity === 'dataset' || clause.comparator === 'IS NULL') return null;
  const table = sql.table(entityTable[clause.entity]);
  if (clause.comparator === 'IS NOT NULL') return sql`SELECT run_uuid FROM ${table} WHERE key = ${clause.key}`;
  let valueCond = compare(dialect, sql.ref('value'), clause);
  if (clause.entity === 'metric') {
    // NaN is stored as 0 with is_nan = 1: it equals nothing, and differs from everything.
    valueCond = clause.comparator === '!=' ? sql`(is_nan = 1 OR ${valueCond})` : sql`(is_nan = 0 AND ${valueCond})`;
  }
  return sql`SELECT run_uuid FROM ${table} WHERE key = ${clause.key} AND ${valueCond}`;
}
