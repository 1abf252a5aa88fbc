import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../shared/studio/events.js';
import { backends, listeningServer, ML } from '../../test-support/backends.js';
import { sseStream, type SseEvent } from '../../test-support/sse.js';

const isRun = (match: Partial<RunEvent>) => (e: SseEvent) => e.event === 'run' && Object.entries(match).every(([k, v]) => JSON.stringify((e.data as Record<string, unknown>)[k]) === JSON.stringify(v));

describe.each(backends())('the run-event stream on %s', (backend) => {
  let server: Awaited<ReturnType<typeof listeningServer>>;
  let experimentId: string;
  let otherExperimentId: string;
  beforeAll(async () => {
    server = await listeningServer(backend);
    experimentId = (await server.post(`${ML}/experiments/create`, { name: 'live' })).body.experiment_id as string;
    otherExperimentId = (await server.post(`${ML}/experiments/create`, { name: 'elsewhere' })).body.experiment_id as string;
  });
  afterAll(async () => {
    await server.close();
  });

  const newRun = async (experiment = experimentId, tags: Array<{ key: string; value: string }> = []) =>
    (await server.post(`${ML}/runs/create`, { experiment_id: experiment, tags })).body.run.info.run_id as string;
  const events = (query = '', headers: Record<string, string> = {}) => sseStream(`${server.url}/api/studio/events${query}`, headers);

  it('tells an experiment’s page what changed in its runs, and nothing of other experiments', async () => {
    const stream = await events(`?experiments=${experimentId}`);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    await stream.next((e) => e.event === 'ready');
    const elsewhere = await newRun(otherExperimentId);
    const runId = await newRun();
    await stream.next(isRun({ kind: 'created', runId, experimentId }));
    await server.post(`${ML}/runs/log-batch`, {
      run_id: runId,
      metrics: [
        { key: 'loss', value: 1, timestamp: 1, step: 0 },
        { key: 'acc', value: 0.5, timestamp: 1, step: 0 },
      ],
    });
    await server.post(`${ML}/runs/set-tag`, { run_id: runId, key: 'mlflow.note.content', value: '# notes' });
    await server.post(`${ML}/runs/set-tag`, { run_id: runId, key: 'mlflow.runName', value: 'renamed' });
    await server.post(`${ML}/runs/update`, { run_id: runId, status: 'FINISHED', end_time: 5 });
    await server.app.inject({ method: 'POST', url: `/api/studio/runs/${runId}/logs/std_log.txt?offset=0`, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('line\n') });
    const metrics = await stream.next(isRun({ kind: 'metrics', runId }));
    expect([...((metrics.data as RunEvent).keys ?? [])].sort()).toEqual(['acc', 'loss']);
    await stream.next(isRun({ kind: 'status', runId, status: 'FINISHED' }));
    await stream.next(isRun({ kind: 'log', runId, log: 'std_log.txt', size: 5 }));
    const updated = stream.events.filter(isRun({ kind: 'updated', runId })).flatMap((e) => (e.data as RunEvent).fields ?? []);
    expect(new Set(updated)).toEqual(new Set(['description', 'name']));
    // Ids only grow, and nothing of the other experiment's run came.
    const ids = stream.events.filter((e) => e.event === 'run').map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(stream.events.some((e) => (e.data as RunEvent).runId === elsewhere)).toBe(false);
    stream.close();
  });

  it('coalesces a burst of metric points into few events', async () => {
    const runId = await newRun();
    const stream = await events(`?runs=${runId}`);
    await stream.next((e) => e.event === 'ready');
    await Promise.all(Array.from({ length: 50 }, (_, i) => server.post(`${ML}/runs/log-metric`, { run_id: runId, key: 'loss', value: i, timestamp: i, step: i })));
    await server.post(`${ML}/runs/update`, { run_id: runId, status: 'FINISHED' });
    await stream.next(isRun({ kind: 'status', runId }));
    const metricEvents = stream.events.filter(isRun({ kind: 'metrics', runId }));
    expect(metricEvents.length).toBeGreaterThan(0);
    expect(metricEvents.length).toBeLessThan(50);
    stream.close();
  });

  it('scopes by run, and a run’s new children come with it', async () => {
    const parent = await newRun();
    const stream = await events(`?runs=${parent}`);
    await stream.next((e) => e.event === 'ready');
    const children = await server.post(`/api/studio/runs/${parent}/children`, { count: 2 });
    expect(children.status).toBe(201);
    const created = await stream.next(isRun({ kind: 'created', parentRunId: parent }));
    expect(children.body.runs.map((r: { runId: string }) => r.runId)).toContain((created.data as RunEvent).runId);
    stream.close();
  });

  it('a page that reconnects with Last-Event-ID gets exactly what it missed, then goes on live', async () => {
    const runId = await newRun();
    const first = await events(`?runs=${runId}`);
    await first.next((e) => e.event === 'ready');
    await server.post(`${ML}/runs/set-tag`, { run_id: runId, key: 'team', value: 'a' });
    await first.next(isRun({ kind: 'updated', runId }));
    const seen = first.lastId!;
    first.close();

    await server.post(`${ML}/runs/log-metric`, { run_id: runId, key: 'loss', value: 1, timestamp: 1, step: 0 });
    await server.post(`${ML}/runs/update`, { run_id: runId, status: 'FAILED' });
    await server.app.inject({ method: 'GET', url: '/health' });
    // Both are stored (the bus writes within milliseconds) before the page comes back.
    await waitForHead(server, Number(seen) + 2);

    const again = await events(`?runs=${runId}`, { 'last-event-id': seen });
    await again.next((e) => e.event === 'ready');
    const missed = again.events.filter((e) => e.event === 'run').map((e) => (e.data as RunEvent).kind);
    expect(missed).toEqual(['metrics', 'status']);
    await server.post(`${ML}/runs/set-tag`, { run_id: runId, key: 'team', value: 'b' });
    await again.next(isRun({ kind: 'updated', runId, fields: ['tags'] }));
    again.close();

    // `?after=` is the same for a client that cannot send headers.
    const byQuery = await events(`?runs=${runId}&after=${seen}`);
    await byQuery.next((e) => e.event === 'ready');
    expect(byQuery.events.filter((e) => e.event === 'run').map((e) => (e.data as RunEvent).kind).slice(0, 2)).toEqual(['metrics', 'status']);
    byQuery.close();
  });

  it('tells a page that missed more than is kept to start over', async () => {
    const stream = await events('', { 'last-event-id': '999999999' });
    const reset = await stream.next((e) => e.event === 'reset');
    expect(Number(reset.id)).toBeLessThan(999999999);
    stream.close();
  });

  it('refuses bad scopes and ids with a 400 that names them', async () => {
    const badRun = await events('?runs=abc,%3Cscript%3E');
    expect(badRun.status).toBe(400);
    expect(JSON.stringify(await badRun.error())).toContain('runs');
    const tooMany = await events(`?experiments=${Array.from({ length: 201 }, (_, i) => i).join(',')}`);
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(await tooMany.error())).toContain('at most 200 experiments');
    const badId = await events('', { 'last-event-id': 'x1' });
    expect(badId.status).toBe(400);
    expect(JSON.stringify(await badId.error())).toContain('Last-Event-ID');
  });

  it('caps the open streams with a 503 and Retry-After', async () => {
    const capped = await listeningServer(backend, { maxEventStreams: 3 });
    try {
      const open = await Promise.all(Array.from({ length: 3 }, () => sseStream(`${capped.url}/api/studio/events`)));
      await Promise.all(open.map((s) => s.next((e) => e.event === 'ready')));
      const refused = await sseStream(`${capped.url}/api/studio/events`);
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(JSON.stringify(await refused.error())).toContain('limit 3');
      open.forEach((s) => s.close());
    } finally {
      await capped.close();
    }
  });
});

/** Waits until the server's bus has handed out event `id` (it stores within ms). */
async function waitForHead(server: { app: { inject: (o: { method: 'GET'; url: string }) => Promise<unknown> } }, id: number): Promise<void> {
  const stream = await sseStream(`${(server as unknown as { url: string }).url}/api/studio/events?after=${id - 1}`);
  await stream.next((e) => Number(e.id) >= id);
  stream.close();
}
