import type { Command } from 'commander';
import { positiveInt } from '../serve-flags.js';
import { runColumns } from './columns.js';
import { clientFor, collect, withOutput, withServer, type OutputFlags, type ServerFlags } from './flags.js';
import { printResult } from './output.js';
import { toRunJson } from './run-json.js';
import { experimentIdsByName, getStudioRun, searchRuns } from './runs-api.js';

interface ListFlags extends ServerFlags, OutputFlags {
  experimentName?: string[];
  filter?: string;
  search?: string;
  max: number;
}

interface ShowFlags extends ServerFlags, OutputFlags {
  runId: string;
}

/** `runs list` and `runs show`. */
export function registerRunReadCommands(runs: Command): void {
  withOutput(withServer(runs.command('list')))
    .description('List runs (children too), newest first')
    .option('--experiment-name <name>', 'only runs of this experiment (repeatable)', collect)
    .option('--filter <filter>', `MLflow filter, e.g. "metrics.accuracy > 0.9 and params.lr = '0.01'"`)
    .option('--search <text>', 'full-text search over names, params and tags')
    .option('--max <n>', 'most runs to list', positiveInt, 100)
    .action(async (flags: ListFlags) => {
      const client = clientFor(flags);
      const experimentIds = await experimentIdsByName(client, flags.experimentName ?? []);
      const runs = await searchRuns(client, { experimentIds, filter: flags.filter ?? '', q: flags.search ?? '' }, flags.max);
      printResult(runs.map(toRunJson), flags, runColumns);
    });

  withOutput(withServer(runs.command('show')))
    .description('Show one run')
    .requiredOption('-r, --run-id <id>', 'the run')
    .action(async (flags: ShowFlags) => {
      printResult(toRunJson(await getStudioRun(clientFor(flags), flags.runId)), flags, runColumns);
    });
}
