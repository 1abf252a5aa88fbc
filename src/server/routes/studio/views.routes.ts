import type { FastifyInstance } from 'fastify';
import { createViewBody, deleteViewQuery, updateViewBody } from '../../../shared/studio/views.js';
import type { Deps } from '../../services/deps.js';
import * as views from '../../services/views.service.js';
import { parse } from '../../parse.js';

/** Saved views: `/api/studio/views`. */
export function viewRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/views', async (req) => views.listViews(deps, req.userId));
  app.post('/views', async (req, reply) => reply.status(201).send(await views.createView(deps, req.userId, parse(createViewBody, req.body))));
  app.get<{ Params: { id: string } }>('/views/:id', async (req) => views.getView(deps, req.userId, req.params.id));
  app.put<{ Params: { id: string } }>('/views/:id', async (req) => views.updateView(deps, req.userId, req.params.id, parse(updateViewBody, req.body)));
  app.delete<{ Params: { id: string } }>('/views/:id', async (req) => {
    await views.deleteView(deps, req.userId, req.params.id, parse(deleteViewQuery, req.query).version);
    return {};
  });
}
