import fs from 'node:fs';
import { apiClient, CliError, EXIT, resolveTrackingUri, type ApiClient } from '../api-client.js';
import type { KeyValue } from '../../shared/mlflow/types.js';
import { catchInterrupts } from './interrupts.js';
import { Launch } from './launch.js';
import { createRun, launchTags, logBatch, osUser, resolveExperiment } from './run-setup.js';
import { say } from './say.js';
import { plainOutput } from './terminal-output.js';

export interface RunFlags {
  experiment?: string;
  name?: string;
  description?: string;
  tag: KeyValue[];
  property: KeyValue[];
  compute?: string;
  parent?: string;
  grace: number;
  trackingUri?: string;
}

/** `--description @notes.md` reads the file. */
function description(value: string | undefined): string | undefined {
  if (value === undefined || !value.startsWith('@')) return value;
  try {
    return fs.readFileSync(value.slice(1), 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read the description from '${value.slice(1)}': ${(error as Error).message}`, EXIT.usage);
  }
}

async function checkParent(api: ApiClient, parent: string): Promise<void> {
  try {
    await api.json(`/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(parent)}`);
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.notFound) throw new CliError(`--parent: run ${parent} does not exist.`, EXIT.notFound);
    throw error;
  }
}

/** A launch that went wrong before its process could run: the run must not stay Running. */
async function failRun(api: ApiClient, runId: string): Promise<void> {
  await api.json('/api/2.0/mlflow/runs/update', { body: { run_id: runId, status: 'FAILED', end_time: Date.now() } }).catch(() => undefined);
}

/** The tags a new launched run starts with. */
async function runTags(flags: RunFlags, command: readonly string[], cwd: string): Promise<KeyValue[]> {
  const note = description(flags.description);
  return [
    { key: 'mlflow.user', value: osUser() },
    ...(note !== undefined ? [{ key: 'mlflow.note.content', value: note }] : []),
    ...(flags.compute ? [{ key: 'runstudio.compute', value: flags.compute }] : []),
    ...(flags.parent ? [{ key: 'mlflow.parentRunId', value: flags.parent }] : []),
    ...flags.tag,
    ...(await launchTags(command, cwd)),
  ];
}

/**
 * `runstudio run … -- COMMAND`: creates a run, launches COMMAND as that run, and exits
 * with its exit code (130 after Ctrl-C).
 */
export async function runCommand(command: string[], flags: RunFlags): Promise<void> {
  const interrupts = catchInterrupts();
  try {
    const trackingUri = resolveTrackingUri(flags.trackingUri);
    const api = apiClient(trackingUri);
    const cwd = process.cwd();
    if (flags.parent) await checkParent(api, flags.parent);
    const experimentId = await resolveExperiment(api, flags.experiment);
    const runId = await createRun(api, experimentId, flags.name, await runTags(flags, command, cwd));
    try {
      if (flags.property.length > 0) await logBatch(api, runId, flags.property);
    } catch (error) {
      await failRun(api, runId);
      throw error;
    }
    say(`run ${runId} started: ${trackingUri}/runs/${runId}`);
    const launch = new Launch({
      api,
      trackingUri,
      runId,
      experimentId,
      command,
      graceMs: flags.grace,
      cwd,
      stdin: process.stdin.isTTY ? 'ignore' : 'inherit',
      output: plainOutput,
      say,
    });
    interrupts.onInterrupt((signal) => {
      if (signal === 'SIGINT' && launch.waitingForServer) {
        // The process is over and the server away: Ctrl-C stops waiting for it.
        const kept = launch.abandon();
        say(`stopped waiting for the server${kept ? `; the output it has not received is in ${kept}` : ''}.`);
        process.exit(130);
      }
      if (signal === 'SIGINT') launch.interrupt();
      else launch.cancel();
    });
    const result = await launch.done.catch(async (error: unknown) => {
      await failRun(api, runId);
      throw error;
    });
    process.exitCode = result.interrupted ? 130 : result.exitCode;
  } finally {
    interrupts.dispose();
  }
}
