import type { Command } from 'commander';
import { registerExperimentCommands } from './experiments.commands.js';
import { registerRunControlCommands } from './run-control.commands.js';
import { registerRunUpdateCommand } from './run-update.command.js';
import { registerRunReadCommands } from './runs-read.commands.js';

/** `runstudio runs list|show|update|cancel|fail` and `runstudio experiments list`. */
export function registerQueryCommands(program: Command): void {
  const runs = program.command('runs').description('Query and change runs');
  registerRunReadCommands(runs);
  registerRunUpdateCommand(runs);
  registerRunControlCommands(runs);
  registerExperimentCommands(program);
}
