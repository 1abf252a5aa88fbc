import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunControl } from '../../shared/studio/control.js';
import type { Metric } from '../../shared/mlflow/types.js';
import { listeningServer } from '../../server/test-support/backends.js';
import { api, consecutive, eventually, fixture, goneWithin, isAlive, repoRoot, startLauncher, tickerLines } from './fixtures/harness.js';

// `runstudio run` as a real process against a real server whose heartbeat timeout is short;
// launchers beat every 250 ms (harness).
let server: Awaited<ReturnType<typeof listeningServer>>;
let client: ReturnType<typeof api>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-launch-test-'));

beforeAll(async () => {
  server = await listeningServer('sqlite', { heartbeatTimeoutMs: 2000 });
  client = api(server.url);
});
afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const launch = (args: string[], env?: Record<string, string>) => startLauncher(['run', '--tracking-uri', server.url, ...args], env);
const pidOf = async (launcher: ReturnType<typeof launch>, pattern = /pid (\d+)/) => Number((await launcher.waitFor(pattern))[1]);

describe('runstudio run', () => {
  it('stops a process cancelled through the API within the grace period, keeps its log line for line and ends KILLED', async () => {
    const launcher = launch(['--grace', '2s', '--', 'node', fixture('ticker.mjs')]);
    const runId = await launcher.runId;
    const pid = await pidOf(launcher);
    await launcher.waitFor(/^line 5$/m);
    await eventually(() => client.json<RunControl>(`/api/studio/runs/${runId}/control`), (c) => c.pid === pid && c.launched);
    const asked = Date.now();
    await client.cancel(runId);
    await goneWithin(pid, 3000 + 2000);
    console.log(`cancel → process gone: ${Date.now() - asked} ms`);
    expect(await launcher.exit).toEqual({ code: 143, signal: null });
    expect(await client.status(runId)).toBe('KILLED');
    const tags = await client.tags(runId);
    expect([tags['runstudio.launch.exitCode'], tags['runstudio.launch.signal']]).toEqual(['143', 'SIGTERM']);
    const log = await client.log(runId);
    expect(log).toBe(launcher.stdout());
    expect(log.startsWith(`pid ${pid}\nline 0\n`)).toBe(true);
    expect(tickerLines(log).length).toBeGreaterThan(5);
    expect(consecutive(tickerLines(log))).toBe(true);
  });

  it('lets a process that traps SIGTERM save its work within the grace period, and SIGKILLs one that ignores it', async () => {
    const saved = path.join(tmp, 'saved.txt');
    const polite = launch(['--grace', '3s', '--', 'node', fixture('trap-term.mjs'), saved, '500']);
    const stubborn = launch(['--grace', '500ms', '--', 'node', fixture('trap-term.mjs'), '-']);
    const [politeRun, stubbornRun] = await Promise.all([polite.runId, stubborn.runId]);
    const [politePid, stubbornPid] = await Promise.all([pidOf(polite, /ready (\d+)/), pidOf(stubborn, /ready (\d+)/)]);
    await Promise.all([client.cancel(politeRun), client.cancel(stubbornRun)]);
    await Promise.all([goneWithin(politePid, 3000 + 3000), goneWithin(stubbornPid, 3000 + 500)]);
    expect(fs.readFileSync(saved, 'utf8')).toBe(`saved by ${politePid}\n`);
    expect(await polite.exit).toEqual({ code: 0, signal: null });
    expect(await stubborn.exit).toEqual({ code: 137, signal: null });
    expect(await client.status(politeRun)).toBe('KILLED');
    expect(await client.status(stubbornRun)).toBe('KILLED');
    expect(await client.log(politeRun)).toBe(`ready ${politePid}\nSIGTERM: saving\nsaved\n`);
    expect((await client.tags(stubbornRun))['runstudio.launch.signal']).toBe('SIGKILL');
  });

  it('leaves its run FAILED after the heartbeat timeout when the launcher itself is killed', async () => {
    const launcher = launch(['--', 'node', fixture('ticker.mjs')]);
    const runId = await launcher.runId;
    const pid = await pidOf(launcher);
    await launcher.waitFor(/^line 2$/m);
    launcher.kill('SIGKILL');
    await launcher.exit;
    try {
      expect(await eventually(() => client.status(runId), (s) => s !== 'RUNNING', 8000)).toBe('FAILED');
      expect((await client.tags(runId))['runstudio.failReason']).toMatch(/Contact with the launcher .* was lost/);
    } finally {
      // Nothing is left to stop the orphan (it dies at its next write to the closed pipe, or here).
      if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
    }
  });

  it('exits with the process: 0 and FINISHED, the code kept and FAILED', async () => {
    const ok = launch(['--', 'node', fixture('exit-with.mjs'), '0']);
    const bad = launch(['--', 'node', fixture('exit-with.mjs'), '3']);
    const missing = launch(['--', 'no-such-command-runstudio']);
    const [okRun, badRun, missingRun] = await Promise.all([ok.runId, bad.runId, missing.runId]);
    expect((await ok.exit).code).toBe(0);
    expect((await bad.exit).code).toBe(3);
    expect((await missing.exit).code).toBe(127);
    expect(await client.status(okRun)).toBe('FINISHED');
    expect(await client.status(badRun)).toBe('FAILED');
    expect(await client.status(missingRun)).toBe('FAILED');
    expect((await client.tags(okRun))['runstudio.launch.exitCode']).toBe('0');
    expect((await client.tags(badRun))['runstudio.launch.exitCode']).toBe('3');
    expect(await client.log(missingRun)).toMatch(/cannot start 'no-such-command-runstudio'/);
  });

  it('on Ctrl-C (SIGINT to the launcher) stops the process, ends the run KILLED and exits 130', async () => {
    const launcher = launch(['--grace', '2s', '--', 'node', fixture('ticker.mjs')]);
    const runId = await launcher.runId;
    const pid = await pidOf(launcher);
    await launcher.waitFor(/^line 2$/m);
    launcher.kill('SIGINT');
    await goneWithin(pid, 3000 + 2000);
    expect((await launcher.exit).code).toBe(130);
    expect(await client.status(runId)).toBe('KILLED');
    expect(consecutive(tickerLines(await client.log(runId)))).toBe(true);
  });

  it('stops the process but keeps FAILED when the run is marked as failed', async () => {
    const launcher = launch(['--', 'node', fixture('ticker.mjs')]);
    const runId = await launcher.runId;
    const pid = await pidOf(launcher);
    await launcher.waitFor(/^line 2$/m);
    await client.json(`/api/studio/runs/${runId}/fail`, { reason: 'stuck' });
    await goneWithin(pid, 3000 + 10_000);
    expect((await launcher.exit).code).toBe(143);
    expect(await client.status(runId)).toBe('FAILED');
    expect((await client.tags(runId))['runstudio.failReason']).toBe('stuck');
  });

  it('records launch tags, properties, the MLflow environment and system metrics', async () => {
    const parent = (await client.json<{ run: { info: { run_id: string } } }>('/api/2.0/mlflow/runs/create', { experiment_id: '0' })).run.info.run_id;
    const notes = path.join(tmp, 'notes.md');
    fs.writeFileSync(notes, '# Why\nbecause');
    const command = ['node', fixture('exit-with.mjs'), '0', '1500'];
    const launcher = launch(
      ['--experiment', 'launcher tags', '--name', 'tagged', '--description', `@${notes}`, '--tag', 'team=vision', '--tag', 'draft', '--property', 'lr=0.1', '--compute', 'gpu-box', '--parent', parent, '--', ...command],
      { RUNSTUDIO_SYSTEM_METRICS_INTERVAL_MS: '200' },
    );
    const runId = await launcher.runId;
    expect((await launcher.exit).code).toBe(0);
    const run = await client.run(runId);
    const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
    expect(tags).toMatchObject({
      'mlflow.runName': 'tagged',
      'mlflow.user': os.userInfo().username,
      'mlflow.note.content': '# Why\nbecause',
      'mlflow.parentRunId': parent,
      'runstudio.compute': 'gpu-box',
      team: 'vision',
      draft: '',
      'runstudio.launch.command': command.join(' '),
      'runstudio.launch.cwd': repoRoot,
      'runstudio.launch.host': os.hostname(),
      'runstudio.launch.gitCommit': execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot }).toString().trim(),
      'runstudio.launch.exitCode': '0',
    });
    expect(['true', 'false']).toContain(tags['runstudio.launch.gitDirty']);
    expect(run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    const experiment = run.info.experiment_id;
    expect(experiment).not.toBe('0');
    expect(await client.log(runId)).toBe(
      `MLFLOW_TRACKING_URI=${server.url}\nMLFLOW_RUN_ID=${runId}\nMLFLOW_EXPERIMENT_ID=${experiment}\nRUNSTUDIO_URL=${server.url}\nto stderr\n`,
    );
    const history = async (key: string) =>
      (await client.json<{ metrics: Metric[] }>(`/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${encodeURIComponent(key)}`)).metrics;
    const cpu = await history('system/cpu_utilization_percentage');
    expect(cpu.length).toBeGreaterThanOrEqual(3);
    expect(cpu.map((m) => m.step)).toEqual(cpu.map((_, i) => i));
    // A busy loop keeps one core busy: 100 / cores percent of the machine.
    expect(Math.max(...cpu.map((m) => Number(m.value)))).toBeGreaterThan(100 / os.availableParallelism() / 2);
    const memory = await history('system/system_memory_usage_megabytes');
    expect(Number(memory[0]!.value)).toBeGreaterThan(10);
    expect((await history('system/system_memory_usage_percentage')).length).toBe(cpu.length);
  });
});
