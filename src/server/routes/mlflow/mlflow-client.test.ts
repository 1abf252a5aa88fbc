import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backends, listeningServer } from '../../test-support/backends.js';

// The npm `mlflow` package: an MLflow REST client written by others, with its own habits
// (legacy run_uuid beside run_id, GET with query strings, experiments/list).
const require = createRequire(import.meta.url);
const MLflow = require('mlflow') as new (args: { endpoint: string }) => any;

describe.each(backends())('a real MLflow client against the server on %s', (backend) => {
  let server: Awaited<ReturnType<typeof listeningServer>>;
  beforeAll(async () => {
    server = await listeningServer(backend);
    vi.spyOn(console, 'log').mockImplementation(() => {}); // the client prints every body it posts
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await server.close();
  });

  it('creates an experiment and a run, logs in batches, searches and reads history', async () => {
    const client = new MLflow({ endpoint: server.url });
    const { experiment_id } = await client.Experiments.create({ name: 'client-exp' });
    const { experiments } = await client.Experiments.list();
    expect(experiments.map((e: { name: string }) => e.name)).toContain('client-exp');

    const runIds: string[] = [];
    for (let r = 0; r < 3; r += 1) {
      const { run } = await client.Runs.create({ experiment_id, user_id: 'ana', start_time: Date.now() + r, tags: [{ key: 'mlflow.runName', value: `trial-${r}` }] });
      const runId = run.info.run_id as string;
      runIds.push(runId);
      await client.Runs.logBatch({
        run_id: runId,
        metrics: Array.from({ length: 50 }, (_, step) => ({ key: 'loss', value: (r + 1) / (step + 1), timestamp: Date.now(), step })),
        params: [{ key: 'lr', value: String(0.1 * (r + 1)) }, { key: 'batch', value: '32' }],
        tags: [{ key: 'sweep', value: 'lr' }],
      });
      await client.Runs.logMetric({ run_id: runId, key: 'acc', value: 0.5 + r / 10, timestamp: Date.now(), step: 0 });
      await client.Runs.setTag({ run_id: runId, key: 'phase', value: r === 2 ? 'final' : 'explore' });
      await client.Runs.update({ run_id: runId, status: 'FINISHED', end_time: Date.now() });
    }

    const { runs } = await client.Runs.search({ experiment_ids: [experiment_id], filter: "metrics.acc > 0.55 and params.batch = '32' and tags.sweep = 'lr'", order_by: ['metrics.acc DESC'] });
    expect(runs.map((r: { info: { run_name: string } }) => r.info.run_name)).toEqual(['trial-2', 'trial-1']);
    expect(runs[0].info.status).toBe('FINISHED');

    const history = await client.Metrics.getHistory({ run_id: runIds[0], metric_key: 'loss' });
    expect(history.metrics).toHaveLength(50);
    expect(history.metrics[0]).toMatchObject({ key: 'loss', value: 1, step: 0 });

    await client.Runs.deleteTag({ run_id: runIds[0], key: 'phase' });
    const { run } = await client.Runs.get({ run_id: runIds[0] });
    expect(run.data.tags.find((t: { key: string }) => t.key === 'phase')).toBeUndefined();
    expect(run.data.params).toEqual([{ key: 'batch', value: '32' }, { key: 'lr', value: '0.1' }]);

    await expect(client.Runs.logParameter({ run_id: runIds[0], key: 'lr', value: '9' })).rejects.toThrow(/INVALID_PARAMETER_VALUE/);
  });
});
