import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import type { Deps } from '../../services/deps.js';
import * as studioRuns from '../../services/studio-runs.service.js';
import { route } from '../define-route.js';
import { actorOf } from '../../auth/principal.js';

const e = endpoints.runs;

/** Studio run endpoints under /api/studio. */
export function studioRunRoutes(app: FastifyInstance, deps: Deps): void {
  route(app, e.search, async ({ body }) => studioRuns.searchStudioRuns(deps, body));
  route(app, e.children, async ({ params, query }) => studioRuns.listChildren(deps, params.id, query));
  route(app, e.ancestors, async ({ params }) => studioRuns.listAncestors(deps, params.id));
  route(app, e.activity, async ({ params, query }) => ({ activity: await studioRuns.listRunActivity(deps, params.id, query.limit) }));
  route(app, e.createChildren, async ({ req, params, body }) => studioRuns.createChildren(deps, params.id, body, actorOf(req.principal)));
}
