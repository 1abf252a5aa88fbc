import type { StudioRun } from '../../../shared/studio/runs.js';

/** A run's value for `param:<key>` or `metric:<key>` (latest), as a number when it is one. */
export function fieldValue(run: StudioRun, field: string): number | string | null {
  const key = field.replace(/^(param|metric):/, '');
  const raw = field.startsWith('param:') ? run.params[key] : run.metrics[key]?.value;
  if (raw === undefined) return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : String(raw);
}
