import { setTimeout as sleep } from 'node:timers/promises';
import { Option, type Command } from 'commander';
import { statusWords, terminalStatuses } from '../../shared/run-status.js';
import type { CancelRunResponse, FailRunRequest, RunControl } from '../../shared/studio/control.js';
import { CliError, EXIT, type ApiClient } from '../api-client.js';
import { duration } from '../duration.js';
import { clientFor, withServer, type ServerFlags } from './flags.js';
import { getRunInfo } from './runs-api.js';

interface CancelFlags extends ServerFlags {
  runId: string;
  wait?: boolean;
  timeout: number;
}

interface FailFlags extends ServerFlags {
  runId: string;
  reason?: string;
}

const POLL_MS = 500;
const studioRun = (runId: string) => `/api/studio/runs/${encodeURIComponent(runId)}`;

/** `runs cancel` and `runs fail`: they print a sentence, not the run. */
export function registerRunControlCommands(runs: Command): void {
  withServer(runs.command('cancel'))
    .description('Cancel a queued or running run (and the queued or running runs below it)')
    .requiredOption('-r, --run-id <id>', 'the run')
    .option('--wait', 'when a launcher holds the run, wait until it has stopped the process')
    .addOption(new Option('--timeout <duration>', 'longest --wait (e.g. 30s, 5m)').argParser(duration).default(60_000, '60s'))
    .action(async (flags: CancelFlags) => {
      const client = clientFor(flags);
      const response = await client.json<CancelRunResponse>(`${studioRun(flags.runId)}/cancel`, { body: {} });
      if (response.launched) {
        const host = await launcherHost(client, flags.runId);
        console.log(`Cancel requested: the launcher on ${host} is stopping the process.`);
      } else {
        console.log(`Run ${flags.runId} set to Canceled. Runstudio did not launch it, so its process (if any) was not stopped.`);
      }
      if (response.childrenCancelled > 0) console.log(`${response.childrenCancelled} queued or running run(s) below it canceled too.`);
      if (response.launched && flags.wait) {
        const status = await waitUntilEnded(client, flags.runId, flags.timeout);
        console.log(`Run ${flags.runId} is ${statusWords[status]} (${status}).`);
      }
    });

  withServer(runs.command('fail'))
    .description('Mark a run as failed (its launcher, if any, stops the process)')
    .requiredOption('-r, --run-id <id>', 'the run')
    .option('--reason <text>', 'why, shown on the run')
    .action(async (flags: FailFlags) => {
      const body: FailRunRequest = flags.reason === undefined ? {} : { reason: flags.reason };
      await clientFor(flags).json(`${studioRun(flags.runId)}/fail`, { body });
      console.log(`Run ${flags.runId} marked as Failed.`);
    });
}

/** Where the launcher runs, for the message; its absence is not worth failing the command. */
async function launcherHost(client: ApiClient, runId: string): Promise<string> {
  try {
    const control = await client.json<RunControl>(`${studioRun(runId)}/control`);
    return control.host ?? 'its host';
  } catch {
    return 'its host';
  }
}

/** Polls the run until the launcher has ended it; a timeout is EXIT.failure (the run may still stop later). */
async function waitUntilEnded(client: ApiClient, runId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await getRunInfo(client, runId);
    if (terminalStatuses.has(status)) return status;
    if (Date.now() >= deadline) {
      throw new CliError(`Timed out after ${timeoutMs / 1000}s: run ${runId} is still ${statusWords[status]} (${status}). The launcher may yet stop it; check with: runstudio runs show -r ${runId}`, EXIT.failure);
    }
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}
