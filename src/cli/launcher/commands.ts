import { type Command, InvalidArgumentError, Option } from 'commander';
import type { KeyValue } from '../../shared/mlflow/types.js';
import { MAX_GRACE_MS } from '../../shared/studio/control.js';
import { duration } from '../duration.js';
import { sweepParam } from './grid.js';
import { runCommand, type RunFlags } from './run-command.js';
import { sweepCommand, type SweepFlags } from './sweep.js';

/** `--tag k[=v]`, repeatable: a tag may have no value. */
function tag(value: string, previous: KeyValue[] = []): KeyValue[] {
  const eq = value.indexOf('=');
  const key = eq < 0 ? value : value.slice(0, eq);
  if (!key) throw new InvalidArgumentError('expected KEY or KEY=VALUE');
  return [...previous, { key, value: eq < 0 ? '' : value.slice(eq + 1) }];
}

/** `--property k=v`, repeatable: properties are MLflow params, so a value is required. */
function property(value: string, previous: KeyValue[] = []): KeyValue[] {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected KEY=VALUE');
  return [...previous, { key: value.slice(0, eq), value: value.slice(eq + 1) }];
}

/** `--grace 30s`: at most the hour the server accepts. */
function grace(value: string): number {
  const ms = duration(value);
  if (ms > MAX_GRACE_MS) throw new InvalidArgumentError('at most 1h');
  return ms;
}

const graceOption = (what: string) =>
  new Option('--grace <duration>', `time between SIGTERM and SIGKILL when stopping ${what} (e.g. 30s, 2m)`).argParser(grace).default(duration('10s'), '10s');

function parallel(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a whole number from 1 to 1000');
  return n;
}

/** `runstudio run` and `runstudio sweep`: launch processes as runs the studio can follow and cancel. */
export function registerLaunchCommands(program: Command): void {
  // Lets `runstudio run python train.py --lr 0.1` pass `--lr` to the command, `--` or not.
  program.enablePositionalOptions();
  program
    .command('run')
    .description('Launch a command as a run: its output becomes the run’s log, Cancel in the studio stops it')
    .usage('[options] -- COMMAND [ARGS…]')
    .argument('<command...>', 'the command to run, and its arguments (no shell)')
    .option('--experiment <name>', 'experiment, by name (created if missing); default: the Default experiment')
    .option('--name <display>', 'display name of the run')
    .option('--description <text>', 'Markdown description; @FILE reads it from a file')
    .addOption(new Option('--tag <key[=value]>', 'a tag (repeatable)').argParser(tag).default([], 'none'))
    .addOption(new Option('--property <key=value>', 'a property, stored as an MLflow param (repeatable)').argParser(property).default([], 'none'))
    .option('--compute <name>', 'compute target, stored in the runstudio.compute tag')
    .option('--parent <run-id>', 'make the run a child of this run')
    .addOption(graceOption('the process'))
    .option('--tracking-uri <url>', 'the Runstudio server (default: RUNSTUDIO_URL, MLFLOW_TRACKING_URI, http://127.0.0.1:5000)')
    .passThroughOptions()
    // Usage errors throw, so `run()` in main.ts exits 2 as for every other command.
    .exitOverride()
    .action((command: string[], flags: RunFlags) => runCommand(command, flags));
  program
    .command('sweep')
    .description('Launch a command once per point of a parameter grid, as child runs of one parent run')
    .usage('--param NAME=V1,V2 [options] -- COMMAND [ARGS with {NAME}…]')
    .argument('<command...>', 'the command; each {NAME} is replaced by the value of --param NAME')
    .requiredOption('--param <name=values>', 'a swept parameter and its comma-separated values (repeatable)', sweepParam)
    .option('--experiment <name>', 'experiment, by name (created if missing); default: the Default experiment')
    .option('--name <display>', 'display name of the parent run')
    .option('--parallel <n>', 'children running at once', parallel, 1)
    .addOption(graceOption('a child'))
    .option('--tracking-uri <url>', 'the Runstudio server (default: RUNSTUDIO_URL, MLFLOW_TRACKING_URI, http://127.0.0.1:5000)')
    .passThroughOptions()
    .exitOverride()
    .action((command: string[], flags: SweepFlags) => sweepCommand(command, flags));
}
