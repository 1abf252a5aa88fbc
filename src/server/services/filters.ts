import { FilterSyntaxError, parseFilter, parseOrderBy, searchLimits, type AttributeSpec, type Clause, type OrderBy } from '../../shared/filter/parse.js';
import { invalidParameter } from '../errors.js';
import { parseExperimentId } from '../store/experiments.store.js';

/** At most 200 characters of what the client sent, so an error never echoes megabytes. */
export function echo(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 200)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** Parses a filter, turning a syntax error into MLflow's 400 INVALID_PARAMETER_VALUE. */
export function parseFilterOrThrow(filter: string | undefined, spec: AttributeSpec): Clause[] {
  try {
    return parseFilter(filter, spec);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalidParameter(`Invalid filter '${echo(filter ?? '')}': ${error.message}`);
    throw error;
  }
}

export function parseOrderByOrThrow(items: string[] | undefined, spec: AttributeSpec): OrderBy[] {
  if (items && items.length > searchLimits.orderByKeys) {
    throw invalidParameter(`Invalid value for parameter 'order_by': ${items.length} keys; the limit is ${searchLimits.orderByKeys}.`);
  }
  return (items ?? []).map((item) => {
    try {
      return parseOrderBy(item, spec);
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw invalidParameter(`Invalid order_by clause '${echo(item)}': ${error.message}`);
      throw error;
    }
  });
}

/** A search names at most 1,000 experiments. */
export function checkExperimentIdCount(ids: string[], field: string): void {
  if (ids.length > searchLimits.experimentIds) {
    throw invalidParameter(`Invalid value for parameter '${field}': ${ids.length.toLocaleString('en-US')} experiment ids; the limit is ${searchLimits.experimentIds.toLocaleString('en-US')}.`);
  }
}

/** The studio's experiment id lists: each must be an id (400 naming it), at most 1,000. */
export function parseExperimentIds(ids: string[], field: string): number[] {
  checkExperimentIdCount(ids, field);
  return ids.map((id) => {
    const n = parseExperimentId(id);
    if (n === null) throw invalidParameter(`Invalid value for parameter '${field}': '${echo(id)}' is not an experiment id`);
    return n;
  });
}

/** MLflow's max_results rule: positive and at most `max`. */
export function checkMaxResults(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (value <= 0 || value > max) {
    throw invalidParameter(`Invalid value for request parameter max_results. It must be at most ${max}, and at least 1, but got value ${value}`);
  }
  return value;
}
