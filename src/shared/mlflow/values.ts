import { z } from 'zod';

/**
 * Proto3 JSON as MLflow clients send it: int64 may be a number or a decimal string;
 * a double may be a number, a numeric string, "NaN", "Infinity" or "-Infinity".
 */
export const int64 = z
  .union([z.number().int(), z.string().regex(/^-?\d+$/, 'expected an integer')])
  .transform((v) => Number(v))
  .refine((v) => Number.isSafeInteger(v), 'integer out of range');

const specialDoubles: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity, inf: Infinity, '-inf': -Infinity, nan: Number.NaN };

export const double = z.union([
  z.number(),
  z
    .string()
    .refine((s) => s in specialDoubles || (s.trim() !== '' && !Number.isNaN(Number(s))), 'expected a number, "NaN", "Infinity" or "-Infinity"')
    .transform((s) => (s in specialDoubles ? specialDoubles[s]! : Number(s))),
]);

/** MLflow ids are strings on the wire; some clients send experiment ids as numbers. */
export const idString = z.union([z.string(), z.number().int().transform(String)]);

/** Encodes a double the way MLflow's JSON does: NaN and the infinities as strings. */
export function encodeDouble(value: number): number | 'NaN' | 'Infinity' | '-Infinity' {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

/** Turns a zod failure into one sentence that names the field, as MLflow's handlers do. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid request';
  const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
  if (!path) return `Invalid request body: ${issue.message}`;
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return `Missing value for required parameter '${path}'.`;
  }
  return `Invalid value for parameter '${path}': ${issue.message}`;
}
