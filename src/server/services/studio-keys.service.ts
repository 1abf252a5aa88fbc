import type { z } from 'zod';
import type { keyValuesQuery, keysQuery } from '../../shared/studio/experiments.js';
import { invalidParameter } from '../errors.js';
import { keyValues, listStudioExperiments, runKeys } from '../store/studio-keys.store.js';
import type { Deps } from './deps.js';
import { parseExperimentIds } from './filters.js';

const experimentIds = (ids: string[]) => parseExperimentIds(ids, 'experimentIds');

export const listExperiments = (deps: Deps) => listStudioExperiments(deps.db);
export const listKeys = (deps: Deps, query: z.output<typeof keysQuery>) => runKeys(deps.db, experimentIds(query.experimentIds));
export async function listKeyValues(deps: Deps, query: z.output<typeof keyValuesQuery>): Promise<{ values: string[] }> {
  if ((query.entity === 'param' || query.entity === 'tag') && query.key === '') throw invalidParameter("Missing value for required parameter 'key'.");
  return { values: await keyValues(deps.db, { ...query, experimentIds: experimentIds(query.experimentIds) }) };
}
