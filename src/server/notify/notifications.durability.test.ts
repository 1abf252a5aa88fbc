import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import type { ServerOptions } from '../options.js';
import { openDb, type Db, type StoreConfig } from '../store/db.js';
import { backends, ML, type Backend } from '../test-support/backends.js';
import { webhookReceiver } from '../test-support/receivers.js';

const RULES = '/api/studio/notifications/rules';
const quick: Partial<ServerOptions> = { notifyPollMs: 10, notifyRetryBaseMs: 40, notifyRetryMaxMs: 200 };

/** A store that outlives the servers on it: a SQLite file, or a PostgreSQL schema. */
function storeConfig(backend: Backend): { config: StoreConfig; cleanup: () => void } {
  if (backend === 'postgres') {
    const schema = `rs_test_${process.env.RUNSTUDIO_TEST_RUN ?? 'adhoc'}_${randomBytes(4).toString('hex')}`;
    return { config: { kind: 'postgres', url: process.env.RUNSTUDIO_TEST_DATABASE_URL!, schema }, cleanup: () => undefined };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-notify-'));
  return { config: { kind: 'sqlite', file: path.join(dir, 'runstudio.db') }, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

interface Replica {
  app: FastifyInstance;
  db: Db;
  close(): Promise<void>;
}

/** One server process's worth: its own connection to the store and its own worker. */
async function replica(config: StoreConfig, blobDir: string, options: Partial<ServerOptions>): Promise<Replica> {
  const db = await openDb(config);
  const app = await buildApp({ db, blobDir, webRoot: null, options: { ...quick, ...options } });
  await app.ready();
  return {
    app,
    db,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

async function post(r: Replica, url: string, payload: unknown): Promise<Record<string, any>> {
  const res = await r.app.inject({ method: 'POST', url, payload: payload as object });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<Record<string, any>>();
}

describe.each(backends())('notifications across restarts on %s', (backend) => {
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  let store: ReturnType<typeof storeConfig>;
  let blobDir: string;
  beforeAll(async () => {
    hook = await webhookReceiver();
    store = storeConfig(backend);
    blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-notify-blobs-'));
  });
  afterAll(async () => {
    await hook.stop();
    store.cleanup();
    fs.rmSync(blobDir, { recursive: true, force: true });
  });

  it('a server stopped between the status change and the delivery delivers once it is started again', async () => {
    // The first server sends nothing (its worker is off), as one killed right after the change would.
    const first = await replica(store.config, blobDir, { notifications: false });
    const rule = await post(first, RULES, { name: 'Ends', scope: { kind: 'all' }, events: ['FAILED'], channel: { kind: 'webhook', url: hook.url } });
    const runId = (await post(first, `${ML}/runs/create`, { run_name: 'survivor' })).run.info.run_id as string;
    await post(first, `${ML}/runs/update`, { run_id: runId, status: 'FAILED' });
    const waiting = await first.db.kysely.selectFrom('notification_events').select(['id', 'fanned_out']).where('run_uuid', '=', runId).execute();
    expect(waiting).toEqual([{ id: expect.any(String), fanned_out: 0 }]);
    await first.close();
    expect(hook.requests).toHaveLength(0);

    const second = await replica(store.config, blobDir, {});
    try {
      const got = await hook.next((r) => r.json.run?.id === runId);
      expect(got.json).toMatchObject({ eventId: waiting[0]!.id, type: 'run.failed', rule: { id: rule.rule.id }, run: { name: 'survivor', previousStatus: 'RUNNING' } });
      await second.app.notifier.settle();
      expect(hook.requests.filter((r) => r.json.run?.id === runId)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

const postgres = backends().includes('postgres');

describe.runIf(postgres)('two replicas on one PostgreSQL', () => {
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  let a: Replica;
  let b: Replica;
  let blobDir: string;
  beforeAll(async () => {
    hook = await webhookReceiver();
    const { config } = storeConfig('postgres');
    blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-notify-blobs-'));
    a = await replica(config, blobDir, {});
    b = await replica(config, blobDir, {});
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await hook.stop();
    fs.rmSync(blobDir, { recursive: true, force: true });
  });

  it('deliver each event once, whichever replica saw the change, with both workers polling', async () => {
    const rule = await post(a, RULES, { name: 'Every end', scope: { kind: 'all' }, events: ['FINISHED', 'FAILED'], channel: { kind: 'webhook', url: hook.url } });
    const runs: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const via = i % 2 === 0 ? a : b;
      const runId = (await post(via, `${ML}/runs/create`, { run_name: `r${i}` })).run.info.run_id as string;
      runs.push(runId);
    }
    // Ended concurrently, half through each replica.
    await Promise.all(runs.map((runId, i) => post(i % 2 === 0 ? b : a, `${ML}/runs/update`, { run_id: runId, status: i % 3 === 0 ? 'FAILED' : 'FINISHED' })));
    for (const runId of runs) await hook.next((r) => r.json.run?.id === runId);
    await Promise.all([a.app.notifier.settle(), b.app.notifier.settle()]);
    const ids = hook.requests.filter((r) => r.json.rule?.id === rule.rule.id).map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    const states = await a.db.kysely.selectFrom('notification_deliveries').select(['state', 'attempts']).where('rule_id', '=', rule.rule.id).execute();
    expect(states).toHaveLength(40);
    expect(states.every((s) => s.state === 'sent' && s.attempts === 1)).toBe(true);
  });
});
