import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/api/index.js';
import type { Deps } from '../../services/deps.js';
import * as notifications from '../../services/notifications.service.js';
import { route } from '../define-route.js';
import { caller } from './caller.js';

const e = endpoints.notifications;

/** Notification rules and their deliveries: `/api/studio/notifications/rules`. */
export function notificationRoutes(app: FastifyInstance, deps: Deps): void {
  route(app, e.list, async ({ req }) => notifications.listRules(deps, caller(req)));
  route(app, e.create, async ({ req, body }) => notifications.createRule(deps, caller(req), body));
  route(app, e.update, async ({ req, params, body }) => notifications.updateRule(deps, caller(req), params.id, body));
  route(app, e.delete, async ({ req, params }) => {
    await notifications.deleteRule(deps, caller(req), params.id);
    return {};
  });
  route(app, e.test, async ({ req, params }) => notifications.testRule(deps, caller(req), params.id));
  route(app, e.deliveries, async ({ req, params }) => notifications.ruleDeliveries(deps, caller(req), params.id));
}
