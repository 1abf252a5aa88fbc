import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../shared/studio/events.js';
import { buildApp } from '../app.js';
import { openDb, type Db } from '../store/db.js';
import { backends, ML } from '../test-support/backends.js';
import { sseStream } from '../test-support/sse.js';

/** Two servers on one PostgreSQL schema: run events and cancels cross between them. */
const postgres = backends().includes('postgres');

async function replica(schema: string): Promise<{ app: FastifyInstance; db: Db; url: string; blobDir: string }> {
  const db = await openDb({ kind: 'postgres', url: process.env.RUNSTUDIO_TEST_DATABASE_URL!, schema });
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-replica-'));
  const app = await buildApp({ db, blobDir, webRoot: null });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return { app, db, blobDir, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describe.runIf(postgres)('replicas on one PostgreSQL', () => {
  let a: Awaited<ReturnType<typeof replica>>;
  let b: Awaited<ReturnType<typeof replica>>;
  beforeAll(async () => {
    const schema = `rs_test_${process.env.RUNSTUDIO_TEST_RUN ?? 'adhoc'}_${randomBytes(4).toString('hex')}`;
    a = await replica(schema);
    b = await replica(schema);
  });
  afterAll(async () => {
    for (const r of [a, b]) {
      await r.app.close();
      await r.db.close();
      fs.rmSync(r.blobDir, { recursive: true, force: true });
    }
  });
  const post = async (r: typeof a, url: string, payload: unknown) => {
    const response = await r.app.inject({ method: 'POST', url, payload: payload as object });
    return response.json<Record<string, any>>();
  };

  it('a page on replica B hears what an MLflow client changed through replica A, with the same ids', async () => {
    const onB = await sseStream(`${b.url}/api/studio/events`);
    const onA = await sseStream(`${a.url}/api/studio/events`);
    await onB.next((e) => e.event === 'ready');
    await onA.next((e) => e.event === 'ready');
    const runId = (await post(a, `${ML}/runs/create`, {})).run.info.run_id as string;
    await post(a, `${ML}/runs/log-metric`, { run_id: runId, key: 'loss', value: 0.5, timestamp: 1, step: 1 });
    await post(a, `${ML}/runs/update`, { run_id: runId, status: 'FINISHED' });
    const status = await onB.next((e) => e.event === 'run' && (e.data as RunEvent).kind === 'status' && (e.data as RunEvent).runId === runId);
    expect((status.data as RunEvent).status).toBe('FINISHED');
    const sameOnA = await onA.next((e) => e.event === 'run' && (e.data as RunEvent).kind === 'status' && (e.data as RunEvent).runId === runId);
    expect(sameOnA.id).toBe(status.id);
    const kinds = (s: typeof onA) => s.events.filter((e) => e.event === 'run' && (e.data as RunEvent).runId === runId).map((e) => `${e.id}:${(e.data as RunEvent).kind}`);
    expect(kinds(onB)).toEqual(kinds(onA));
    onA.close();
    onB.close();
  });

  it('a page that reconnects to the other replica resumes from its Last-Event-ID', async () => {
    const onA = await sseStream(`${a.url}/api/studio/events`);
    await onA.next((e) => e.event === 'ready');
    const runId = (await post(a, `${ML}/runs/create`, {})).run.info.run_id as string;
    await onA.next((e) => e.event === 'run' && (e.data as RunEvent).runId === runId);
    const seen = onA.lastId!;
    onA.close();
    await post(a, `${ML}/runs/set-tag`, { run_id: runId, key: 'team', value: 'vision' });
    const onB = await sseStream(`${b.url}/api/studio/events?runs=${runId}`, { 'last-event-id': seen });
    const updated = await onB.next((e) => e.event === 'run' && (e.data as RunEvent).kind === 'updated');
    expect((updated.data as RunEvent).fields).toEqual(['tags']);
    expect(Number(updated.id)).toBeGreaterThan(Number(seen));
    onB.close();
  });

  it('Cancel clicked on replica B reaches the launcher’s control stream held by replica A', async () => {
    const runId = (await post(a, `${ML}/runs/create`, {})).run.info.run_id as string;
    await post(a, `/api/studio/runs/${runId}/control`, { graceMs: 1500, host: 'gpu-box', pid: 4242 });
    const control = await sseStream(`${a.url}/api/studio/runs/${runId}/control/stream`);
    const cancel = await post(b, `/api/studio/runs/${runId}/cancel`, {});
    expect(cancel.cancelRequested).toBe(true);
    const heard = await control.next((e) => e.event === 'cancel');
    expect(heard.data).toEqual({ graceMs: 1500 });
    control.close();
  });
});
