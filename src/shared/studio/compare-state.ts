import { z } from 'zod';

/** `/compare?runs=a,b,c&diff=true`: which runs, and whether only differing rows show. */
export const compareState = z.object({
  runs: z.string().max(3400).optional().catch(undefined),
  diff: z.boolean().optional().catch(undefined),
});
export type CompareState = z.infer<typeof compareState>;

export function parseCompareState(raw: unknown): CompareState {
  const parsed = compareState.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}

export const compareRunIds = (state: CompareState) => (state.runs ?? '').split(',').filter((id) => /^[0-9a-f]{32}$/.test(id)).slice(0, 100);
