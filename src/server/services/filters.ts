import { FilterSyntaxError, parseFilter, parseOrderBy, type AttributeSpec, type Clause, type OrderBy } from '../../shared/filter/parse.js';
import { invalidParameter } from '../errors.js';

/** Parses a filter, turning a syntax error into MLflow's 400 INVALID_PARAMETER_VALUE. */
export function parseFilterOrThrow(filter: string | undefined, spec: AttributeSpec): Clause[] {
  try {
    return parseFilter(filter, spec);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalidParameter(`Invalid filter '${filter}': ${error.message}`);
    throw error;
  }
}

export function parseOrderByOrThrow(items: string[] | undefined, spec: AttributeSpec): OrderBy[] {
  return (items ?? []).map((item) => {
    try {
      return parseOrderBy(item, spec);
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw invalidParameter(`Invalid order_by clause '${item}': ${error.message}`);
      throw error;
    }
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
