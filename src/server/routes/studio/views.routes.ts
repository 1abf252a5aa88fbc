import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import type { Deps } from '../../services/deps.js';
import * as views from '../../services/views.service.js';
import { route } from '../define-route.js';
import { caller } from './caller.js';

const e = endpoints.views;

/** Saved views: `/api/studio/views`. */
export function viewRoutes(app: FastifyInstance, deps: Deps): void {
  route(app, e.list, async ({ req }) => views.listViews(deps, caller(req)));
  route(app, e.create, async ({ req, body }) => views.createView(deps, caller(req), body));
  route(app, e.get, async ({ req, params }) => views.getView(deps, caller(req), params.id));
  route(app, e.update, async ({ req, params, body }) => views.updateView(deps, caller(req), params.id, body));
  route(app, e.delete, async ({ req, params, query }) => {
    await views.deleteView(deps, caller(req), params.id, query.version);
    return {};
  });
}
