import type { FastifyInstance } from 'fastify';
import { childrenQuery, createChildrenBody, studioSearchRunsBody } from '../../../shared/studio/runs.js';
import type { Deps } from '../../services/deps.js';
import * as studioRuns from '../../services/studio-runs.service.js';
import { parse } from '../../parse.js';

/** Studio run endpoints under /api/studio. */
export function studioRunRoutes(app: FastifyInstance, deps: Deps): void {
  app.post('/runs/search', async (req) => studioRuns.searchStudioRuns(deps, parse(studioSearchRunsBody, req.body)));
  app.get<{ Params: { id: string } }>('/runs/:id/children', async (req) => studioRuns.listChildren(deps, req.params.id, parse(childrenQuery, req.query)));
  app.get<{ Params: { id: string } }>('/runs/:id/ancestors', async (req) => studioRuns.listAncestors(deps, req.params.id));
  app.post<{ Params: { id: string } }>('/runs/:id/children', async (req, reply) => {
    const result = await studioRuns.createChildren(deps, req.params.id, parse(createChildrenBody, req.body));
    return reply.status(201).send(result);
  });
}
