import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAIL_REASON_TAG } from '../../../shared/studio/control.js';
import { backends, listeningServer, ML } from '../../test-support/backends.js';

/** A launcher's control stream over plain HTTP: the events it has received so far, by name. */
async function controlStream(url: string) {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(url, { agent: false }, resolve).on('error', reject);
  });
  const events: Array<{ event: string; data: Record<string, unknown> }> = [];
  let buffered = '';
  let wake: () => void = () => undefined;
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n\n'); end !== -1; end = buffered.indexOf('\n\n')) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
    }
    wake();
  });
  return {
    status: response.statusCode,
    events,
    /** Waits until an event of this name arrived (the test's timeout catches one that never does). */
    async next(name: string) {
      for (;;) {
        const found = events.find((e) => e.event === name);
        if (found) return found;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    close: () => response.destroy(),
  };
}

describe.each(backends())('run control on %s', (backend) => {
  let server: Awaited<ReturnType<typeof listeningServer>>;
  beforeAll(async () => {
    server = await listeningServer(backend, { heartbeatTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await server.close();
  });

  const newRun = async (extra: Record<string, unknown> = {}) => (await server.post(`${ML}/runs/create`, extra)).body.run.info.run_id as string;
  const status = async (runId: string) => (await server.get(`${ML}/runs/get?run_id=${runId}`)).body.run.info.status as string;
  const tags = async (runId: string) =>
    Object.fromEntries(((await server.get(`${ML}/runs/get?run_id=${runId}`)).body.run.data.tags as Array<{ key: string; value: string }>).map((t) => [t.key, t.value]));
  const attach = (runId: string, graceMs = 2000) => server.post(`/api/studio/runs/${runId}/control`, { graceMs, host: 'gpu-box', pid: 4242 });
  const studioRun = async (runId: string) => (await server.post('/api/studio/runs/search', { parentRunId: '*', runIds: [runId] })).body.runs[0];

  it('sets a run no launcher holds KILLED at once, and says its process was not stopped', async () => {
    const runId = await newRun();
    const res = await server.post(`/api/studio/runs/${runId}/cancel`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ launched: false, cancelRequested: false, childrenCancelled: 0, run_info: { status: 'KILLED' } });
    expect(res.body.run_info.end_time).toBeGreaterThan(0);
    expect(await status(runId)).toBe('KILLED');
    const again = await server.post(`/api/studio/runs/${runId}/cancel`, {});
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/already ended \(KILLED\)/);
  });

  it('asks the launcher of a launched run: Cancel requested until it confirms, then Canceled', async () => {
    const runId = await newRun();
    expect((await attach(runId)).body).toMatchObject({ launched: true, cancelRequested: false, graceMs: 2000, host: 'gpu-box', pid: 4242 });
    const stream = await controlStream(`${server.url}/api/studio/runs/${runId}/control/stream`);
    expect(stream.status).toBe(200);

    const res = await server.post(`/api/studio/runs/${runId}/cancel`, {});
    expect(res.body).toMatchObject({ launched: true, cancelRequested: true, run_info: { status: 'RUNNING' } });
    expect((await stream.next('cancel')).data).toEqual({ graceMs: 2000 });
    expect(await status(runId)).toBe('RUNNING');
    expect((await server.get(`/api/studio/runs/${runId}/control`)).body).toMatchObject({ launched: true, cancelRequested: true });
    expect(await studioRun(runId)).toMatchObject({ launched: true, cancelRequested: true, status: 'RUNNING' });
    expect((await server.post(`/api/studio/runs/${runId}/heartbeat`, {})).body).toEqual({ cancelRequested: true, ended: false, status: 'RUNNING' });
    // A launcher that connects after the cancel hears it at once.
    const late = await controlStream(`${server.url}/api/studio/runs/${runId}/control/stream`);
    expect((await late.next('cancel')).data).toEqual({ graceMs: 2000 });

    // The launcher stopped the process and confirms.
    await server.post(`${ML}/runs/update`, { run_id: runId, status: 'KILLED', end_time: Date.now() });
    expect(await studioRun(runId)).toMatchObject({ launched: true, cancelRequested: false, status: 'KILLED' });
    stream.close();
    late.close();
  });

  it('cancels the live runs below a parent: launched ones get a request, the others end at once', async () => {
    const parent = await newRun();
    const kids = await server.post(`/api/studio/runs/${parent}/children`, { count: 3 });
    expect(kids.status).toBe(201);
    const [launched, queued, finished] = (kids.body.runs as Array<{ runId: string }>).map((r) => r.runId) as [string, string, string];
    await server.post(`${ML}/runs/update`, { run_id: launched, status: 'RUNNING' });
    await attach(launched, 500);
    await server.post(`${ML}/runs/update`, { run_id: finished, status: 'FINISHED', end_time: Date.now() });
    const grandchild = await newRun({ tags: [{ key: 'mlflow.parentRunId', value: finished }] });
    const stream = await controlStream(`${server.url}/api/studio/runs/${launched}/control/stream`);

    const res = await server.post(`/api/studio/runs/${parent}/cancel`, {});
    expect(res.body).toMatchObject({ launched: false, run_info: { status: 'KILLED' }, childrenCancelled: 3 });
    expect((await stream.next('cancel')).data).toEqual({ graceMs: 500 });
    expect(await status(launched)).toBe('RUNNING');
    expect((await server.get(`/api/studio/runs/${launched}/control`)).body.cancelRequested).toBe(true);
    expect(await status(queued)).toBe('KILLED');
    expect(await status(finished)).toBe('FINISHED');
    // Below an ended child, a live grandchild is cancelled too.
    expect(await status(grandchild)).toBe('KILLED');
    stream.close();
  });

  it('walks a cycle of parent tags once: the cancel ends, and every live run in it is cancelled', async () => {
    const a = await newRun();
    const b = await newRun({ tags: [{ key: 'mlflow.parentRunId', value: a }] });
    await server.post(`${ML}/runs/set-tag`, { run_id: a, key: 'mlflow.parentRunId', value: b });
    const kids = await server.post(`/api/studio/runs/${b}/children`, { count: 50 });
    const res = await server.post(`/api/studio/runs/${a}/cancel`, {});
    expect(res.status).toBe(200);
    // b, its 50 children, and a itself (found again below b) only once.
    expect(res.body.childrenCancelled).toBe(51);
    expect(await status(b)).toBe('KILLED');
    expect(await status((kids.body.runs as Array<{ runId: string }>)[49]!.runId)).toBe('KILLED');
  });

  it("keeps a launched run's final status: a late update from its launcher cannot undo Mark as failed", async () => {
    const runId = await newRun();
    await attach(runId);
    await server.post(`/api/studio/runs/${runId}/fail`, { reason: 'stuck' });
    const late = await server.post(`${ML}/runs/update`, { run_id: runId, status: 'FINISHED', end_time: Date.now() });
    expect(late.status).toBe(400);
    expect(late.body.message).toMatch(/already ended \(FAILED\)/);
    expect(await status(runId)).toBe('FAILED');
    // A run logged by an MLflow client stays free to change, as in MLflow.
    const plain = await newRun();
    await server.post(`${ML}/runs/update`, { run_id: plain, status: 'FAILED' });
    expect((await server.post(`${ML}/runs/update`, { run_id: plain, status: 'FINISHED' })).status).toBe(200);
  });

  it('tells the launcher of a deleted run that it is over, by heartbeat and by stream', async () => {
    const runId = await newRun();
    await attach(runId);
    await server.post(`${ML}/runs/delete`, { run_id: runId });
    expect((await server.post(`/api/studio/runs/${runId}/heartbeat`, {})).body).toEqual({ cancelRequested: false, ended: true, status: 'DELETED' });
    const stream = await controlStream(`${server.url}/api/studio/runs/${runId}/control/stream`);
    expect((await stream.next('ended')).data).toEqual({ status: 'DELETED' });
    stream.close();
  });

  it('marks a running run failed with a reason, tells its launcher, and refuses an ended run', async () => {
    const runId = await newRun();
    await attach(runId);
    const stream = await controlStream(`${server.url}/api/studio/runs/${runId}/control/stream`);
    const res = await server.post(`/api/studio/runs/${runId}/fail`, { reason: 'stuck at step 300, GPU hung' });
    expect(res.status).toBe(200);
    expect(res.body.run_info).toMatchObject({ status: 'FAILED' });
    expect((await stream.next('ended')).data).toEqual({ status: 'FAILED' });
    expect((await tags(runId))[FAIL_REASON_TAG]).toBe('stuck at step 300, GPU hung');
    expect((await server.post(`/api/studio/runs/${runId}/heartbeat`, {})).body).toEqual({ cancelRequested: false, ended: true, status: 'FAILED' });
    const again = await server.post(`/api/studio/runs/${runId}/fail`, {});
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/already ended \(FAILED\)/);

    const plain = await newRun();
    await server.post(`/api/studio/runs/${plain}/fail`, {});
    expect((await tags(plain))[FAIL_REASON_TAG]).toBe('Marked as failed by hand.');
    stream.close();
  });

  it('fails a launched run whose heartbeats stop, saying contact was lost', async () => {
    const runId = await newRun();
    await attach(runId);
    const stream = await controlStream(`${server.url}/api/studio/runs/${runId}/control/stream`);
    // No heartbeat follows: after the timeout (1 s here) the sweeper ends the run.
    expect((await stream.next('ended')).data).toEqual({ status: 'FAILED' });
    expect(await status(runId)).toBe('FAILED');
    expect((await tags(runId))[FAIL_REASON_TAG]).toMatch(/^Contact with the launcher on gpu-box was lost: no heartbeat since .* \(timeout 1 s\)\.$/);
    // One whose cancel was asked for ends Canceled, as its user wanted, when its launcher goes silent.
    const asked = await newRun();
    await attach(asked);
    const askedStream = await controlStream(`${server.url}/api/studio/runs/${asked}/control/stream`);
    await server.post(`/api/studio/runs/${asked}/cancel`, {});
    expect((await askedStream.next('ended')).data).toEqual({ status: 'KILLED' });
    expect((await tags(asked))[FAIL_REASON_TAG]).toBeUndefined();
    askedStream.close();
    // A cancel of a run whose launcher went silent does not wait for it.
    const silent = await newRun();
    await server.post(`/api/studio/runs/${silent}/control`, { graceMs: 0, host: 'gone', pid: 1 });
    await server.db.kysely.updateTable('run_control').set({ heartbeat_at: Date.now() - 5000 }).where('run_uuid', '=', silent).execute();
    expect((await server.post(`/api/studio/runs/${silent}/cancel`, {})).body).toMatchObject({ launched: false, run_info: { status: 'KILLED' } });
    stream.close();
  });

  it('answers bad control requests with 4xx naming the field', async () => {
    const runId = await newRun();
    const bad = await server.post(`/api/studio/runs/${runId}/control`, { graceMs: -1, host: 'x', pid: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/graceMs/);
    const tooLong = await server.post(`/api/studio/runs/${runId}/control`, { graceMs: 3_600_001, host: 'x', pid: 1 });
    expect(tooLong.body.message).toMatch(/graceMs/);
    const reason = await server.post(`/api/studio/runs/${runId}/fail`, { reason: 'x'.repeat(1001) });
    expect(reason.status).toBe(400);
    expect(reason.body.message).toMatch(/reason/);
    expect((await server.post(`/api/studio/runs/${runId}/heartbeat`, {})).status).toBe(400);
    expect((await server.post(`/api/studio/runs/${'0'.repeat(32)}/cancel`, {})).status).toBe(404);
    expect((await server.get(`/api/studio/runs/nope/control`)).status).toBe(404);
    await server.post(`${ML}/runs/update`, { run_id: runId, status: 'FINISHED' });
    const ended = await attach(runId);
    expect(ended.status).toBe(400);
    expect(ended.body.message).toMatch(/FINISHED/);
  });
});

describe('control streams past the cap', () => {
  it('answers 503 with Retry-After past --max-control-streams, and past 4 streams of one run', async () => {
    const server = await listeningServer('sqlite', { maxControlStreams: 5 });
    try {
      const runs = await Promise.all([0, 1].map(async () => (await server.post(`${ML}/runs/create`, {})).body.run.info.run_id as string));
      const url = (runId: string) => `${server.url}/api/studio/runs/${runId}/control/stream`;
      const open = await Promise.all([0, 1, 2, 3].map(() => controlStream(url(runs[0]!))));
      const perRun = await fetch(url(runs[0]!));
      expect(perRun.status).toBe(503);
      expect(perRun.headers.get('retry-after')).toBe('5');
      expect(((await perRun.json()) as { message: string }).message).toMatch(/4 open control streams/);
      open.push(await controlStream(url(runs[1]!)));
      const overall = await fetch(url(runs[1]!));
      expect(overall.status).toBe(503);
      expect(((await overall.json()) as { message: string }).message).toMatch(/limit 5/);
      // A stream that closes gives its place back.
      open.shift()!.close();
      await expect.poll(async () => { const r = await fetch(url(runs[1]!)); const ok = r.status; await r.body?.cancel(); return ok; }).toBe(200);
      open.forEach((s) => s.close());
    } finally {
      await server.close();
    }
  });
});
