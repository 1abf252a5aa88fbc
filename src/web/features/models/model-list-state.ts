import { z } from 'zod';
import { quoteKey } from '../../../shared/studio/explorer-state.js';

/**
 * The experiment's Models tab, in the URL (a link reproduces the order it was sent with):
 * - sort: the column ordered on, on the server: `name`, `status`, `created`, or `metric:<key>`
 * - desc: descending
 * Defaults (left out of the URL): newest first. What does not parse falls back to them.
 */
export const modelListState = z.object({
  sort: z
    .string()
    .max(300)
    .regex(/^(name|status|created|metric:[^]+)$/)
    .optional()
    .catch(undefined),
  desc: z.boolean().optional().catch(undefined),
});
export type ModelListState = z.infer<typeof modelListState>;

export const modelListDefaults = { sort: 'created', desc: true };

export function parseModelListState(raw: unknown): ModelListState {
  const parsed = modelListState.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}

/** The logged-model search's `order_by` field for a sort column. */
export function modelOrderField(sort: string): string {
  if (sort.startsWith('metric:')) return `metrics.${quoteKey(sort.slice('metric:'.length))}`;
  return sort === 'created' ? 'creation_timestamp' : sort;
}

/** The next state after a click on a column's header: the same column flips, another starts ascending (Created: newest first). */
export function nextSort(state: ModelListState, column: string): ModelListState {
  const sort = state.sort ?? modelListDefaults.sort;
  const desc = state.desc ?? modelListDefaults.desc;
  const next = { sort: column, desc: sort === column ? !desc : column === 'created' };
  // Defaults stay out of the URL.
  return { sort: next.sort === modelListDefaults.sort ? undefined : next.sort, desc: next.desc === modelListDefaults.desc ? undefined : next.desc };
}
