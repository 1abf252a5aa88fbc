import type { z } from 'zod';
import { describeZodError } from '../shared/mlflow/values.js';
import { invalidParameter } from './errors.js';

/** Validates a body or query with a shared schema; a failure is a 400 naming the field. */
export function parse<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data ?? {});
  if (!result.success) throw invalidParameter(describeZodError(result.error));
  return result.data;
}
