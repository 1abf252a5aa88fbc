import { expect } from 'vitest';
import { ML } from '../../server/test-support/backends.js';
import { createExperiment, createRun, type SeedRun } from '../../server/test-support/seed.js';
import { TEST_USER } from './identity.js';
import type { WebTestServer } from './server.js';

export { createExperiment };

/** Runs seeded here have ended unless a test says otherwise: only live runs are polled. */
export interface WebSeedRun extends SeedRun {
  status?: 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
  parentRunId?: string;
}

async function ok(server: WebTestServer, method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await server.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json<Record<string, any>>();
}

/** A run through the MLflow API, ended (FINISHED) unless `status` says otherwise; returns its id. */
export async function seedRun(server: WebTestServer, experimentId: string, run: WebSeedRun = {}): Promise<string> {
  const tags = { ...run.tags, ...(run.parentRunId ? { 'mlflow.parentRunId': run.parentRunId } : {}) };
  const runId = await createRun(server, experimentId, { ...run, tags });
  const status = run.status ?? 'FINISHED';
  if (status !== 'RUNNING') await setStatus(server, runId, status);
  return runId;
}

/** Sets a run's status as a tracking client would (an ended status also sets its end time). */
export async function setStatus(server: WebTestServer, runId: string, status: NonNullable<WebSeedRun['status']>): Promise<void> {
  const ended = status === 'FINISHED' || status === 'FAILED' || status === 'KILLED';
  await ok(server, 'POST', `${ML}/runs/update`, { run_id: runId, status, ...(ended ? { end_time: Date.now() } : {}) });
}

/** Logs one metric value at `step`. */
export async function logMetric(server: WebTestServer, runId: string, key: string, value: number, step = 0): Promise<void> {
  await ok(server, 'POST', `${ML}/runs/log-metric`, { run_id: runId, key, value, step, timestamp: Date.now() });
}

/** Logs a metric's history, one value per step from 0. */
export async function logHistory(server: WebTestServer, runId: string, key: string, values: number[]): Promise<void> {
  const t0 = Date.now();
  await ok(server, 'POST', `${ML}/runs/log-batch`, { run_id: runId, metrics: values.map((value, step) => ({ key, value, step, timestamp: t0 + step * 1000 })) });
}

/** `count` queued children of a run in one call (named `<parent>-1` … `<parent>-<count>`). */
export async function seedChildren(server: WebTestServer, parentRunId: string, count: number): Promise<string[]> {
  const body = await ok(server, 'POST', `/api/studio/runs/${parentRunId}/children`, { count });
  return (body.runs as Array<{ runId: string }>).map((r) => r.runId);
}

/** Appends `text` to a run's log `name` (from its start: one call per log). */
export async function appendLog(server: WebTestServer, runId: string, name: string, text: string): Promise<void> {
  const res = await server.app.inject({ method: 'POST', url: `/api/studio/runs/${runId}/logs/${name}?offset=0`, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from(text) });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

/** Uploads one artifact file of a run through MLflow's artifact proxy. */
export async function uploadArtifact(server: WebTestServer, runId: string, path: string, content: string): Promise<void> {
  const run = await server.get(`${ML}/runs/get?run_id=${runId}`);
  const root = String(run.body.run.info.artifact_uri).replace('mlflow-artifacts:/', '');
  const res = await server.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${root}/${path}`, payload: Buffer.from(content), headers: { 'content-type': 'application/octet-stream' } });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

/** A saved view owned by the test's browser user (see setup.ts) or, with `owner`, someone else. */
export async function seedView(server: WebTestServer, view: { name: string; state: Record<string, unknown>; experimentId?: string | null; visibility?: 'private' | 'shared' }, owner?: string) {
  return ok(server, 'POST', '/api/studio/views', { experimentId: null, ...view }, { cookie: `rs_uid=${owner ?? TEST_USER}` });
}

/** Changes a view as another browser would (the cause of a 409 on the next stale save). */
export async function updateViewElsewhere(server: WebTestServer, id: string, version: number, patch: Record<string, unknown>, owner?: string) {
  return ok(server, 'PUT', `/api/studio/views/${id}`, { version, ...patch }, { cookie: `rs_uid=${owner ?? TEST_USER}` });
}
