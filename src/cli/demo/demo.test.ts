import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningServer, ML } from '../../server/test-support/backends.js';
import type { StudioRun } from '../../shared/studio/runs.js';
import { eventually, isAlive } from '../launcher/fixtures/harness.js';

const run = promisify(execFile);

describe('runstudio demo', () => {
  let server: Awaited<ReturnType<typeof listeningServer>>;
  beforeAll(async () => {
    server = await listeningServer('sqlite');
  });
  afterAll(async () => {
    await server.close();
  });

  it('trains a real sweep, a failing run and a long run that Cancel stops', { timeout: 120_000 }, async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/dev-entry.ts', 'demo', '--tracking-uri', server.url, '--epochs', '3'], {
      env: { ...process.env, RUNSTUDIO_SYSTEM_METRICS_INTERVAL_MS: '1000' },
    });
    expect(stdout).toContain(`Open ${server.url}/experiments/`);
    const launcherPid = Number(/pid (\d+)/.exec(stdout)?.[1]);

    const search = async (filter: string) => (await server.post('/api/studio/runs/search', { parentRunId: '*', filter, pageSize: 100 })).body.runs as StudioRun[];
    const [grid] = await search("attributes.run_name = 'iris grid'");
    expect(grid).toMatchObject({ status: 'FINISHED', childCount: 4, experimentName: 'Iris classifier' });
    expect(grid!.tags['mlflow.note.content']).toContain('## Iris grid');
    const children = (await server.get(`/api/studio/runs/${grid!.runId}/children`)).body.runs as StudioRun[];
    expect(children.map((c) => c.status)).toEqual(['FINISHED', 'FINISHED', 'FINISHED', 'FINISHED']);
    expect(children.map((c) => `${c.params.model} ${c.params.lr}`).sort()).toEqual(['linear 0.03', 'linear 0.3', 'mlp 0.03', 'mlp 0.3']);
    for (const child of children) {
      expect(Number(child.metrics.val_accuracy?.value)).toBeGreaterThan(0.5);
      expect(child.metrics.loss?.step).toBe(3);
      const artifacts = (await server.get(`${ML}/artifacts/list?run_id=${child.runId}`)).body.files as Array<{ path: string }>;
      expect(artifacts.map((f) => f.path)).toContain('confusion_matrix.json');
      const log = await server.app.inject({ method: 'GET', url: `/api/studio/runs/${child.runId}/logs/std_log.txt` });
      expect(log.body).toMatch(/^epoch 3\/3 {2}loss=/m);
    }
    expect(children.filter((c) => c.tags.quality === 'fantastic run')).toHaveLength(1);

    const [failed] = await search("attributes.run_name = 'mlp lr=200'");
    expect(failed).toMatchObject({ status: 'FAILED', params: { author: 'azureml-user' } });

    const [long] = await search("attributes.run_name = 'mlp long schedule'");
    expect(long).toMatchObject({ status: 'RUNNING', launched: true });
    const cancel = await server.post(`/api/studio/runs/${long!.runId}/cancel`, {});
    expect(cancel.body).toMatchObject({ launched: true, cancelRequested: true });
    await eventually(async () => (await search("attributes.run_name = 'mlp long schedule'"))[0]!.status, (status) => status === 'KILLED', 30_000);
    await eventually(() => isAlive(launcherPid), (alive) => !alive, 10_000);
  });
});
