import { createRequire } from 'node:module';
import { expect, test } from '@playwright/test';
import { runRow } from '../fixtures/explorer.js';
import { launchRun, type LaunchedRun } from '../fixtures/launch.js';
import { postgresReachable, startReplicas } from '../fixtures/replicas.js';

// The npm `mlflow` package: an MLflow REST client written by others.
const MLflow = createRequire(import.meta.url)('mlflow') as new (args: { endpoint: string }) => any;

/**
 * Two `runstudio serve` replicas on one PostgreSQL and one S3 server (s3rver) behind a
 * round-robin load balancer: they behave as one server, and one can die.
 */
test('two replicas behind a load balancer behave as one server, and one can die with nothing lost', async ({ page }) => {
  test.setTimeout(120_000);
  const reachable = await postgresReachable();
  test.skip(!reachable && process.env.CI !== 'true', 'PostgreSQL is not reachable (CI runs this test)');
  const cluster = await startReplicas();
  let launched: LaunchedRun | null = null;
  try {
    const { a, b, balancer } = cluster;
    // An MLflow client logs through replica A.
    const client = new MLflow({ endpoint: a.url });
    const { experiment_id: experimentId } = await client.Experiments.create({ name: 'replicated' });
    const { run } = await client.Runs.create({ experiment_id: experimentId, start_time: Date.now(), tags: [{ key: 'mlflow.runName', value: 'logged-on-a' }] });
    const runId = run.info.run_id as string;
    await client.Runs.logMetric({ run_id: runId, key: 'loss', value: 0.75, timestamp: Date.now(), step: 0 });
    const artifact = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `weight ${i}\n`).join(''));
    const put = await fetch(`${a.url}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/model/weights.txt`, { method: 'PUT', body: artifact });
    expect(put.status).toBe(200);

    // A browser on replica B, on the experiment's runs.
    await page.goto(`${b.url}/experiments/${experimentId}`);
    await expect(runRow(page, 'logged-on-a').getByText('Running')).toBeVisible();

    // A launcher behind the balancer: its appends, heartbeats and run updates alternate between A and B.
    launched = await launchRun(balancer.url, 'launched-behind-balancer', { lines: 40, intervalMs: 50, experiment: 'replicated' });
    const launchedRow = runRow(page, 'launched-behind-balancer');
    await expect(launchedRow).toBeVisible();
    await page.goto(`${b.url}/runs/${launched.runId}?tab=outputs`);
    const log = page.getByRole('region', { name: 'Log std_log.txt' });
    await expect(log.getByText('line 39', { exact: true })).toBeVisible({ timeout: 20_000 });
    expect(await launched.exited).toBe(0);
    await expect(page.getByText('Completed', { exact: true }).first()).toBeVisible();
    expect(balancer.appends.get('A') ?? 0, 'log appends that landed on A').toBeGreaterThan(0);
    expect(balancer.appends.get('B') ?? 0, 'log appends that landed on B').toBeGreaterThan(0);

    // The status change and a new metric logged on A reach the open page on B live.
    await page.goto(`${b.url}/runs/${runId}?tab=metrics`);
    await expect(page.getByText('Running', { exact: true }).first()).toBeVisible();
    await client.Runs.logMetric({ run_id: runId, key: 'accuracy', value: 0.5, timestamp: Date.now(), step: 1 });
    await expect(page.getByRole('figure', { name: 'Chart of accuracy over step' })).toBeVisible();
    await client.Runs.update({ run_id: runId, status: 'FINISHED', end_time: Date.now() });
    await expect(page.getByText('Completed', { exact: true }).first()).toBeVisible();

    // Every artifact and log byte reads the same from both replicas.
    const expectedLog = Array.from({ length: 40 }, (_, i) => `line ${i}\n`).join('');
    for (const replica of [a, b]) {
      const logBytes = Buffer.from(await (await fetch(`${replica.url}/api/studio/runs/${launched.runId}/logs/std_log.txt`)).arrayBuffer());
      expect(logBytes.toString(), `the log read from ${replica.name}`).toBe(expectedLog);
      const artifactBytes = Buffer.from(await (await fetch(`${replica.url}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/model/weights.txt`)).arrayBuffer());
      expect(artifactBytes.equals(artifact), `the artifact read from ${replica.name}`).toBe(true);
    }

    // Replica A dies; B goes on serving everything, and takes new writes.
    await a.kill();
    const onB = new MLflow({ endpoint: b.url });
    const after = await onB.Runs.get({ run_id: runId });
    expect(after.run.info.status).toBe('FINISHED');
    expect(after.run.data.metrics.map((m: { key: string }) => m.key).sort()).toEqual(['accuracy', 'loss']);
    const logAfter = await (await fetch(`${b.url}/api/studio/runs/${launched.runId}/logs/std_log.txt`)).text();
    expect(logAfter).toBe(expectedLog);
    const artifactAfter = Buffer.from(await (await fetch(`${b.url}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/model/weights.txt`)).arrayBuffer());
    expect(artifactAfter.equals(artifact)).toBe(true);
    const { run: second } = await onB.Runs.create({ experiment_id: experimentId, start_time: Date.now(), tags: [{ key: 'mlflow.runName', value: 'after-a-died' }] });
    await page.goto(`${balancer.url}/experiments/${experimentId}`);
    await expect(runRow(page, 'after-a-died').getByText('Running')).toBeVisible();
    expect(second.info.run_id).toMatch(/^[0-9a-f]{32}$/);
  } finally {
    launched?.cleanup();
    await cluster.stop();
  }
});
