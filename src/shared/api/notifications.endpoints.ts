import {
  createdRuleSchema,
  createRuleBody,
  deliveriesResponse,
  listRulesResponse,
  ruleParams,
  ruleSchema,
  updateRuleBody,
  deliverySchema,
} from '../studio/notifications.js';
import { endpoint } from './endpoint.js';
import { emptyResponse } from './params.js';

/**
 * Notification rules and their deliveries. Anyone signed in keeps e-mail rules of their own;
 * admins see and change every rule and alone may add webhooks (the service decides per rule).
 */
export const notifications = {
  list: endpoint({ method: 'GET', base: 'studio', path: '/notifications/rules', access: 'reader', response: listRulesResponse }),
  create: endpoint({ method: 'POST', base: 'studio', path: '/notifications/rules', access: 'reader', body: createRuleBody, status: 201, response: createdRuleSchema }),
  /** Rename, change events, pause or resume. */
  update: endpoint({ method: 'PATCH', base: 'studio', path: '/notifications/rules/:id', access: 'reader', params: ruleParams, body: updateRuleBody, response: ruleSchema }),
  delete: endpoint({ method: 'DELETE', base: 'studio', path: '/notifications/rules/:id', access: 'reader', params: ruleParams, response: emptyResponse }),
  /** Sends a test event through the rule's channel now; answers with how it went. */
  test: endpoint({ method: 'POST', base: 'studio', path: '/notifications/rules/:id/test', access: 'reader', params: ruleParams, response: deliverySchema }),
  /** The rule's latest deliveries, newest first. */
  deliveries: endpoint({ method: 'GET', base: 'studio', path: '/notifications/rules/:id/deliveries', access: 'reader', params: ruleParams, response: deliveriesResponse }),
};
