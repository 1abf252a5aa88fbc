import { LAUNCH_TAGS } from '../../shared/studio/control.js';
import type { ApiClient } from '../api-client.js';
import type { KeyValue } from '../../shared/mlflow/types.js';
import type { StudioRun } from '../../shared/studio/runs.js';
import { cartesian, pointName, substitute, type SweepParam } from './grid.js';
import { commandTag, logBatch } from './run-setup.js';

/** A child run of a sweep and the command it runs. */
export interface Child {
  runId: string;
  name: string;
  command: string[];
}

/** Calls `fn` on every item, at most `limit` at a time. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Creates the grid's children in one request, then names each, gives it its values as
 * properties and its launch tags (the parent's, with the child's own command line).
 */
export async function createChildren(api: ApiClient, parentId: string, template: readonly string[], params: SweepParam[], parentTags: KeyValue[]): Promise<Child[]> {
  const points = cartesian(params);
  const { runs } = await api.json<{ runs: StudioRun[] }>(`/api/studio/runs/${parentId}/children`, { body: { count: points.length } });
  return mapLimit(points, 8, async (point, i) => {
    const runId = runs[i]!.runId;
    const name = pointName(point);
    const command = substitute(template, point);
    await api.json('/api/2.0/mlflow/runs/update', { body: { run_id: runId, run_name: name } });
    const tags = parentTags.map((tag) => (tag.key === LAUNCH_TAGS.command ? commandTag(command) : tag));
    await logBatch(api, runId, Object.entries(point).map(([key, value]) => ({ key, value })), tags);
    return { runId, name, command };
  });
}

