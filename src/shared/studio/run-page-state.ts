import { z } from 'zod';

/** The run page's URL state: which tab, and which file of Outputs + logs. */
export const runTabs = ['overview', 'metrics', 'children', 'models', 'outputs'] as const;
export type RunTab = (typeof runTabs)[number];

export const runPageState = z.object({
  tab: z.enum(runTabs).optional().catch(undefined),
  file: z.string().max(2000).optional().catch(undefined),
});
export type RunPageState = z.infer<typeof runPageState>;

export function parseRunPageState(raw: unknown): RunPageState {
  const parsed = runPageState.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}
