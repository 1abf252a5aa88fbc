import type { FastifyInstance } from 'fastify';
import { keyValuesQuery, keysQuery } from '../../../shared/studio/experiments.js';
import type { Deps } from '../../services/deps.js';
import * as keys from '../../services/studio-keys.service.js';
import { parse } from '../../parse.js';

/** What the explorer offers to pick from: experiments, keys, and existing values. */
export function studioKeyRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/experiments', async () => ({ experiments: await keys.listExperiments(deps) }));
  app.get('/keys', async (req) => keys.listKeys(deps, parse(keysQuery, req.query)));
  app.get('/keys/values', async (req) => keys.listKeyValues(deps, parse(keyValuesQuery, req.query)));
}
