import { spawn, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { StudioSearchRunsResponse } from '../../shared/studio/runs.js';
import { apiClient, CliError, EXIT, resolveTrackingUri, type ApiClient } from '../api-client.js';

const EXPERIMENT = 'Iris classifier';

/** The `runstudio` command line this process runs, to start its own sub-commands. */
function self(): string[] {
  return [...process.execArgv, process.argv[1]!];
}

/** The training script next to this file: compiled in dist, TypeScript when run from source. */
function trainer(): string[] {
  const file = path.join(import.meta.dirname, import.meta.filename.endsWith('.ts') ? 'train-iris.ts' : 'train-iris.js');
  return [process.execPath, ...process.execArgv, file];
}

function runCli(args: string[], stdio: StdioOptions = 'inherit'): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...self(), ...args], { stdio });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function runsNamed(api: ApiClient, experimentId: string, filter: string) {
  const body = { experimentIds: [experimentId], parentRunId: '*', filter, pageSize: 100 };
  return (await api.json<StudioSearchRunsResponse>('/api/studio/runs/search', { body })).runs;
}

/** The id of the run the filter finds once it is running (a launcher started in the background creates it). */
async function waitForRun(api: ApiClient, experimentId: string, filter: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [run] = await runsNamed(api, experimentId, filter);
    if (run?.status === 'RUNNING' && run.launched) return run.runId;
    if (Date.now() > deadline) throw new CliError(`The long demo run did not start within ${timeoutMs / 1000} s; see its launcher's output.`, EXIT.failure);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function setTag(api: ApiClient, runId: string, key: string, value: string): Promise<void> {
  await api.json('/api/2.0/mlflow/runs/set-tag', { body: { run_id: runId, key, value } });
}

/**
 * Fills a studio with a real workspace: a sweep of iris classifiers trained for real, one
 * run that fails, and one long run left running so a new user can try Cancel.
 */
export async function demo(opts: { trackingUri?: string; epochs: number }): Promise<void> {
  const tracking = resolveTrackingUri(opts.trackingUri);
  const api = apiClient(tracking);
  await api.json('/health').catch((error: unknown) => {
    throw error instanceof CliError && error.exitCode === EXIT.unreachable
      ? new CliError(`${error.message}\nStart the studio first (npm start, or runstudio serve), then run the demo.`, EXIT.unreachable)
      : error;
  });
  const common = ['--tracking-uri', tracking, '--experiment', EXPERIMENT];
  const train = trainer();
  const epochs = String(opts.epochs);

  console.log(`1/3 A sweep: 2 models x 2 learning rates, 2 at a time, ${epochs} epochs each`);
  const sweep = await runCli([
    'sweep', ...common, '--name', 'iris grid', '--param', 'model=linear,mlp', '--param', 'lr=0.3,0.03', '--parallel', '2', '--',
    ...train, '--model', '{model}', '--lr', '{lr}', '--epochs', epochs, '--min-accuracy', '0.8',
  ]);
  if (sweep !== 0) throw new CliError(`The demo sweep did not finish (exit code ${sweep}).`, EXIT.failure);

  console.log('2/3 A run whose learning rate is far too high: it fails');
  await runCli([
    'run', ...common, '--name', 'mlp lr=200', '--tag', 'needs-review', '--property', 'author=azureml-user',
    '--description', 'Tried a **very** high learning rate to see where training breaks.', '--',
    ...train, '--model', 'mlp', '--lr', '200', '--epochs', epochs, '--min-accuracy', '0.9',
  ]);

  const experiment = await api.json<{ experiment: { experiment_id: string } }>(`/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(EXPERIMENT)}`);
  const experimentId = experiment.experiment.experiment_id;
  const [parent] = await runsNamed(api, experimentId, "attributes.run_name = 'iris grid'");
  if (parent) {
    await setTag(api, parent.runId, 'mlflow.note.content', '## Iris grid\nA grid over the **model** (softmax regression or one hidden layer) and the **learning rate**.\n\nEach child logs `loss`, `train_accuracy` and `val_accuracy` per epoch and saves a confusion matrix.');
    const children = (await api.json<{ runs: Array<{ runId: string; metrics: Record<string, { value: number | string }> }> }>(`/api/studio/runs/${parent.runId}/children`)).runs;
    const best = children.sort((a, b) => Number(b.metrics.val_accuracy?.value ?? 0) - Number(a.metrics.val_accuracy?.value ?? 0))[0];
    if (best) {
      await setTag(api, best.runId, 'quality', 'fantastic run');
      await setTag(api, best.runId, 'worth another look', '');
    }
  }

  console.log('3/3 A long run, left running so you can try Cancel');
  const started = Date.now();
  const logFile = path.join(os.tmpdir(), `runstudio-demo-long-run-${started}.log`);
  const out = fs.openSync(logFile, 'a');
  const long = spawn(
    process.execPath,
    [...self(), 'run', ...common, '--name', 'mlp long schedule', '--grace', '5s', '--compute', os.hostname(),
      '--description', 'A long schedule, still **running**: open it and try **Cancel**. The launcher stops the process within a few seconds.', '--',
      ...train, '--model', 'mlp', '--lr', '0.05', '--epochs', '100000', '--delay-ms', '1500'],
    { detached: true, stdio: ['ignore', out, out] },
  );
  long.unref();
  fs.closeSync(out);
  const longRun = await waitForRun(api, experimentId, `attributes.run_name = 'mlp long schedule' and attributes.start_time >= ${started - 1000}`);
  console.log(`\nDone. Open ${tracking}/experiments/${experimentId} to explore the runs.`);
  console.log(`The long run keeps training in the background: ${tracking}/runs/${longRun} (its launcher, pid ${long.pid}, writes to ${logFile}); Cancel it from the studio.`);
}

/** `runstudio demo`. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Fill a running studio with a real workspace: an iris sweep, a failed run and a long run to cancel')
    .option('--tracking-uri <url>', 'the studio to fill (default: RUNSTUDIO_URL, MLFLOW_TRACKING_URI, http://127.0.0.1:5000)')
    .option('--epochs <n>', 'epochs per trained model', (v) => Number(v), 40)
    .action(async (opts: { trackingUri?: string; epochs: number }) => demo(opts));
}
