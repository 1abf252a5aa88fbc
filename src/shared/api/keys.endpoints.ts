import { z } from 'zod';
import { keyValuesQuery, keysQuery, runKeysSchema, studioExperimentSchema } from '../studio/experiments.js';
import { endpoint } from './endpoint.js';

/** What the explorer offers to pick from: experiments, keys, and existing values. */
export const keys = {
  experiments: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/experiments', response: z.object({ experiments: z.array(studioExperimentSchema) }) }),
  keys: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/keys', query: keysQuery, response: runKeysSchema }),
  values: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/keys/values', query: keyValuesQuery, response: z.object({ values: z.array(z.string()) }) }),
};
