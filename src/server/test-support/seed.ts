import { expect } from 'vitest';
import { ML, type TestServer } from './backends.js';

/** Creates an experiment through the API and returns its id. */
export async function createExperiment(server: TestServer, name: string): Promise<string> {
  const res = await server.post(`${ML}/experiments/create`, { name });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.experiment_id as string;
}

export interface SeedRun {
  name?: string;
  startTime?: number;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

/** Creates a run and logs its metrics, params and tags in one log-batch; returns the run id. */
export async function createRun(server: TestServer, experimentId: string, run: SeedRun = {}): Promise<string> {
  const created = await server.post(`${ML}/runs/create`, {
    experiment_id: experimentId,
    ...(run.name ? { run_name: run.name } : {}),
    ...(run.startTime !== undefined ? { start_time: run.startTime } : {}),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const runId = created.body.run.info.run_id as string;
  const batch = await server.post(`${ML}/runs/log-batch`, {
    run_id: runId,
    metrics: Object.entries(run.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: 1, step: 0 })),
    params: Object.entries(run.params ?? {}).map(([key, value]) => ({ key, value })),
    tags: Object.entries(run.tags ?? {}).map(([key, value]) => ({ key, value })),
  });
  expect(batch.status, JSON.stringify(batch.body)).toBe(200);
  return runId;
}
