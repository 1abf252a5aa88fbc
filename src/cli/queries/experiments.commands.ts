import type { Command } from 'commander';
import type { StudioExperiment } from '../../shared/studio/experiments.js';
import { experimentColumns } from './columns.js';
import { toExperimentJson } from './experiment-json.js';
import { clientFor, withOutput, withServer, type OutputFlags, type ServerFlags } from './flags.js';
import { printResult } from './output.js';

/** `experiments list`: every experiment with its run count, from the studio's list. */
export function registerExperimentCommands(program: Command): void {
  const experiments = program.command('experiments').description('Query experiments');
  withOutput(withServer(experiments.command('list')))
    .description('List experiments with their run counts')
    .action(async (flags: ServerFlags & OutputFlags) => {
      const { experiments: list } = await clientFor(flags).json<{ experiments: StudioExperiment[] }>('/api/studio/experiments');
      printResult(list.map(toExperimentJson), flags, experimentColumns);
    });
}
