import { z } from 'zod';
import { childRunsPage, childrenQuery, createChildrenBody, runAncestors, studioRunSchema, studioSearchRunsBody, studioSearchRunsResponse } from '../studio/runs.js';
import { activityQuery, activitySchema } from '../studio/auth.js';
import { endpoint } from './endpoint.js';
import { runIdParams } from './params.js';

/** Studio runs: search with full-text `q`, child counts and keyset pages; a run's tree. */
export const runs = {
  search: endpoint({ method: 'POST', access: 'reader', base: 'studio', path: '/runs/search', body: studioSearchRunsBody, response: studioSearchRunsResponse }),
  children: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/runs/:id/children', params: runIdParams, query: childrenQuery, response: childRunsPage }),
  /** Who changed a run's name, description or tags, and who cancelled or failed it: newest first. */
  activity: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/runs/:id/activity', params: runIdParams, query: activityQuery, response: z.object({ activity: z.array(activitySchema) }) }),
  ancestors: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/runs/:id/ancestors', params: runIdParams, response: runAncestors }),
  /** Many child runs in one transaction (a sweep's points); they start Queued. */
  createChildren: endpoint({
    method: 'POST',
    access: 'contributor',
    base: 'studio',
    path: '/runs/:id/children',
    params: runIdParams,
    body: createChildrenBody,
    status: 201,
    response: z.object({ runs: z.array(studioRunSchema) }),
  }),
};
