import { expect } from 'vitest';
import { endpointPath, endpoints, type EndpointBody } from '../../shared/api/index.js';
import type { NotificationRule } from '../../shared/studio/notifications.js';
import type { WebTestServer } from './server.js';
import { webhookReceiver } from '../../server/test-support/receivers.js';

export { webhookReceiver };

/** An address nothing listens on (a receiver, stopped): a delivery to it fails with ECONNREFUSED. */
export async function refusingUrl(): Promise<string> {
  const receiver = await webhookReceiver();
  await receiver.stop();
  return receiver.url;
}

/** A rule through the API, as `server` calls it (asUser for a team server). */
export async function seedRule(server: WebTestServer, body: EndpointBody<typeof endpoints.notifications.create>): Promise<{ rule: NotificationRule; secret: string | null }> {
  const res = await server.post(endpointPath(endpoints.notifications.create), body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { rule: NotificationRule; secret: string | null };
}

/** Sends a rule's test now, through the API; answers with the delivery. */
export async function sendTest(server: WebTestServer, id: string) {
  const res = await server.post(endpointPath(endpoints.notifications.test, { id }), {});
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { state: string; lastError: string | null };
}

/** The rules as the server has them, read as `server` calls it. */
export async function storedRules(server: WebTestServer): Promise<NotificationRule[]> {
  return (await server.get(endpointPath(endpoints.notifications.list))).body.rules as NotificationRule[];
}
