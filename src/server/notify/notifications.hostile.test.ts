import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

describe('one bad rule among good ones', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer('sqlite', undefined, { notifyPollMs: 20, notifySendTimeoutMs: 5000 });
  });
  afterAll(() => server.close());

  const rule = async (name: string, url: string, scope: unknown = { kind: 'all' }) => {
    const res = await server.post(RULES, { name, scope, events: ['FAILED'], channel: { kind: 'webhook', url } });
    expect(res.status).toBe(201);
    return res.body.rule as NotificationRule;
  };
  const failRun = async () => {
    const runId = (await server.post('/api/2.0/mlflow/runs/create', {})).body.run.info.run_id as string;
    expect((await server.post('/api/2.0/mlflow/runs/update', { run_id: runId, status: 'FAILED' })).status).toBe(200);
    return runId;
  };

  it('a rule whose filter no longer compiles gets a failed delivery saying why; the others are sent', async () => {
    const good = await hostileReceiver((_req, res) => res.writeHead(204).end());
    try {
      const broken = await rule('Broken filter', good.url, { kind: 'filter', filter: "tags.team = 'x'" });
      // As a rule stored by an older version, whose filter this one's parser refuses.
      await server.db.kysely.updateTable('notification_rules').set({ scope: JSON.stringify({ kind: 'filter', filter: 'metrics.loss >>> 1', experimentId: null }) }).where('id', '=', broken.id).execute();
      const fine = await rule('Fine', good.url);
      await failRun();
      await server.app.notifier.settle();
      expect(good.hits()).toBe(1);
      const [failed] = (await server.get(`${RULES}/${broken.id}/deliveries`)).body.deliveries as Delivery[];
      expect(failed).toMatchObject({ state: 'failed', attempts: 0 });
      expect(failed!.lastError).toContain("the rule's runs could not be matched");
      expect(((await server.get(`${RULES}/${fine.id}/deliveries`)).body.deliveries as Delivery[])[0]?.state).toBe('sent');
    } finally {
      await good.close();
    }
  });

  it("a receiver that hangs holds only its own rule's deliveries, not every other rule's", async () => {
    const hanging = await hostileReceiver(() => undefined);
    const good = await hostileReceiver((_req, res) => res.writeHead(204).end());
    try {
      const slow = await rule('Hangs', hanging.url);
      await rule('Answers', good.url);
      for (let i = 0; i < 30; i += 1) await failRun();
      // Every event reached the good receiver while the hanging one still holds its first tries.
      await vi.waitFor(() => expect(good.hits()).toBe(30), { timeout: 4000, interval: 10 });
      const stuck = (await server.get(`${RULES}/${slow.id}/deliveries`)).body.deliveries as Delivery[];
      expect(stuck.every((d) => d.state === 'pending' && d.lastError === null)).toBe(true);
      expect(hanging.hits()).toBeLessThanOrEqual(4);
    } finally {
      await hanging.close();
      await good.close();
    }
  });
});
