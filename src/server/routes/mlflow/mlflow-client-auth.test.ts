import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backends, listeningServer } from '../../test-support/backends.js';
import { addUser, type TestUser } from '../../test-support/team.js';

// The npm `mlflow` package, as in mlflow-client.test.ts: a client written by others, here
// signing in as MLflow clients do with MLFLOW_TRACKING_TOKEN (an Authorization header).
const require = createRequire(import.meta.url);
const MLflow = require('mlflow') as new (args: { endpoint: string; headers?: Record<string, string> }) => any;

/** The client rejects with the status and body as JSON in its message. */
const rejection = (status: number, code: string) => expect.objectContaining({ message: expect.stringMatching(new RegExp(`"status":${status}.*"error_code":"${code}"`)) });

describe.each(backends())('a real MLflow client against a team-mode server on %s', (backend) => {
  let server: Awaited<ReturnType<typeof listeningServer>>;
  let carla: TestUser;
  let rhea: TestUser;
  let experimentId: string;
  beforeAll(async () => {
    server = await listeningServer(backend, { auth: 'team' });
    carla = await addUser(server, 'carla', 'contributor');
    rhea = await addUser(server, 'rhea', 'reader');
    vi.spyOn(console, 'log').mockImplementation(() => {}); // the client prints every body it posts
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await server.close();
  });

  it("with a contributor's token, creates, logs and searches, and the runs are that user's", async () => {
    const client = new MLflow({ endpoint: server.url, headers: { Authorization: `Bearer ${carla.token}` } });
    ({ experiment_id: experimentId } = await client.Experiments.create({ name: 'team-exp' }));
    const { run } = await client.Runs.create({ experiment_id: experimentId, user_id: 'not-carla', start_time: Date.now(), tags: [{ key: 'mlflow.runName', value: 'by-token' }] });
    expect(run.info.user_id).toBe('carla');
    const runId = run.info.run_id as string;
    await client.Runs.logBatch({
      run_id: runId,
      metrics: Array.from({ length: 5 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: Date.now(), step })),
      params: [{ key: 'lr', value: '0.1' }],
      tags: [{ key: 'team', value: 'vision' }],
    });
    const { runs } = await client.Runs.search({ experiment_ids: [experimentId], filter: "params.lr = '0.1' and tags.team = 'vision'" });
    expect(runs.map((r: { info: { run_id: string; user_id: string } }) => [r.info.run_id, r.info.user_id])).toEqual([[runId, 'carla']]);
    expect(runs[0].data.tags).toContainEqual({ key: 'mlflow.user', value: 'carla' });
    const history = await client.Metrics.getHistory({ run_id: runId, metric_key: 'loss' });
    expect(history.metrics).toHaveLength(5);
  });

  it('without a token every call is refused with 401', async () => {
    const client = new MLflow({ endpoint: server.url });
    await expect(client.Experiments.create({ name: 'anonymous-exp' })).rejects.toEqual(rejection(401, 'UNAUTHENTICATED'));
    await expect(client.Experiments.list()).rejects.toEqual(rejection(401, 'UNAUTHENTICATED'));
    await expect(client.Runs.create({ experiment_id: '0' })).rejects.toEqual(rejection(401, 'UNAUTHENTICATED'));
    await expect(client.Runs.search({ experiment_ids: ['0'] })).rejects.toEqual(rejection(401, 'UNAUTHENTICATED'));
  });

  it('with a wrong token every call is refused with 401', async () => {
    const client = new MLflow({ endpoint: server.url, headers: { Authorization: `Bearer rst_${'x'.repeat(43)}` } });
    await expect(client.Runs.search({ experiment_ids: ['0'] })).rejects.toEqual(rejection(401, 'UNAUTHENTICATED'));
  });

  it("with a reader's token, searches but may not create a run (403)", async () => {
    const client = new MLflow({ endpoint: server.url, headers: { Authorization: `Bearer ${rhea.token}` } });
    const { runs } = await client.Runs.search({ experiment_ids: [experimentId] });
    expect(runs.map((r: { info: { run_name: string } }) => r.info.run_name)).toEqual(['by-token']);
    const { experiments } = await client.Experiments.list();
    expect(experiments.map((e: { name: string }) => e.name)).toContain('team-exp');
    await expect(client.Runs.create({ experiment_id: experimentId })).rejects.toEqual(rejection(403, 'PERMISSION_DENIED'));
    await expect(client.Runs.setTag({ run_id: runs[0].info.run_id, key: 'x', value: 'y' })).rejects.toEqual(rejection(403, 'PERMISSION_DENIED'));
  });
});
