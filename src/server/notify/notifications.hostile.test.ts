import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery, NotificationRule } from '../../shared/studio/notifications.js';
import { testServer, type TestServer } from '../test-support/backends.js';

const RULES = '/api/studio/notifications/rules';

/** A receiver that misbehaves as `handle` says; it counts what reached it. */
async function hostileReceiver(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits += 1;
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hits: () => hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends a test to a webhook rule at `url` and answers how it went. */
async function testAgainst(server: TestServer, url: string): Promise<Delivery> {
  const made = await server.post(RULES, { name: 'Hostile', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url } });
  expect(made.status).toBe(201);
  const res = await server.post(`${RULES}/${(made.body.rule as NotificationRule).id}/test`, {});
  expect(res.status).toBe(200);
  return res.body as Delivery;
}

describe('a hostile webhook receiver', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer('sqlite', undefined, { notifySendTimeoutMs: 500 });
  });
  afterAll(() => server.close());

  it('answering with endless bytes: only the start is read, and the try fails on its status', async () => {
    const flood = await hostileReceiver((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    try {
      const delivery = await testAgainst(server, flood.url);
      expect(delivery.state).toBe('failed');
      expect(delivery.lastError).toMatch(/^the receiver answered HTTP 500: x{1,200}$/);
    } finally {
      await flood.close();
    }
  });

  it('never answering: the try ends at the send timeout', async () => {
    const silent = await hostileReceiver(() => undefined);
    try {
      const delivery = await testAgainst(server, silent.url);
      expect(delivery.state).toBe('failed');
      expect(delivery.lastError).toMatch(/timeout|aborted/i);
    } finally {
      await silent.close();
    }
  });

  it('redirecting elsewhere: the redirect is not followed', async () => {
    const target = await hostileReceiver((_req, res) => res.writeHead(204).end());
    const redirect = await hostileReceiver((_req, res) => res.writeHead(307, { location: target.url }).end());
    try {
      const delivery = await testAgainst(server, redirect.url);
      expect(delivery.state).toBe('failed');
      expect(delivery.lastError).toContain('HTTP 307');
      expect(target.hits()).toBe(0);
    } finally {
      await target.close();
      await redirect.close();
    }
  });
});
