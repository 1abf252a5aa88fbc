import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import type { Deps } from '../../services/deps.js';
import * as keys from '../../services/studio-keys.service.js';
import { route } from '../define-route.js';

const e = endpoints.keys;

/** What the explorer offers to pick from: experiments, keys, and existing values. */
export function studioKeyRoutes(app: FastifyInstance, deps: Deps): void {
  route(app, e.experiments, async () => ({ experiments: await keys.listExperiments(deps) }));
  route(app, e.keys, async ({ query }) => keys.listKeys(deps, query));
  route(app, e.values, async ({ query }) => keys.listKeyValues(deps, query));
}
