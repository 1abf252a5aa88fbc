import fs from 'node:fs';
import type { Command } from 'commander';
import { CliError, EXIT, type ApiClient } from '../api-client.js';
import { runColumns } from './columns.js';
import { clientFor, collect, withOutput, withServer, type OutputFlags, type ServerFlags } from './flags.js';
import { printResult } from './output.js';
import { toRunJson } from './run-json.js';
import { getStudioRun } from './runs-api.js';

interface UpdateFlags extends ServerFlags, OutputFlags {
  runId: string;
  addTag?: string[];
  removeTag?: string[];
  name?: string;
  descriptionFile?: string;
}

const ML = '/api/2.0/mlflow';

/** `runs update`: tags, name and description through MLflow's own endpoints, then prints the run. */
export function registerRunUpdateCommand(runs: Command): void {
  withOutput(withServer(runs.command('update')))
    .description('Change a run’s tags, name or description, then print it')
    .requiredOption('-r, --run-id <id>', 'the run')
    .option('--add-tag <key[=value]>', 'set a tag; without =value it is a value-less tag (repeatable)', collect)
    .option('--remove-tag <key>', 'delete a tag (repeatable)', collect)
    .option('--name <name>', 'new display name')
    .option('--description-file <file>', "file holding the new description ('-': standard input)")
    .action(async (flags: UpdateFlags) => {
      const tags = (flags.addTag ?? []).map(parseTag);
      const removeTags = flags.removeTag ?? [];
      const description = flags.descriptionFile === undefined ? undefined : readDescription(flags.descriptionFile);
      if (tags.length === 0 && removeTags.length === 0 && flags.name === undefined && description === undefined) {
        throw new CliError('Nothing to update: pass --add-tag, --remove-tag, --name or --description-file.', EXIT.usage);
      }
      const client = clientFor(flags);
      await applyUpdate(client, flags.runId, { tags, removeTags, name: flags.name, description });
      printResult(toRunJson(await getStudioRun(client, flags.runId)), flags, runColumns);
    });
}

interface RunUpdate {
  tags: Array<{ key: string; value: string }>;
  removeTags: string[];
  name: string | undefined;
  description: string | undefined;
}

// One request per change, in order: MLflow has no endpoint that does them all at once.
async function applyUpdate(client: ApiClient, runId: string, update: RunUpdate): Promise<void> {
  for (const { key, value } of update.tags) await client.json(`${ML}/runs/set-tag`, { body: { run_id: runId, key, value } });
  for (const key of update.removeTags) await client.json(`${ML}/runs/delete-tag`, { body: { run_id: runId, key } });
  if (update.name !== undefined) await client.json(`${ML}/runs/update`, { body: { run_id: runId, run_name: update.name } });
  if (update.description !== undefined) {
    await client.json(`${ML}/runs/set-tag`, { body: { run_id: runId, key: 'mlflow.note.content', value: update.description } });
  }
}

/** `k=v` → {k, v}; `k` → {k, ""} (a value-less tag). Splits at the first `=`. */
export function parseTag(text: string): { key: string; value: string } {
  const at = text.indexOf('=');
  const key = at === -1 ? text : text.slice(0, at);
  if (key === '') throw new CliError(`--add-tag '${text}' has no key: write key or key=value.`, EXIT.usage);
  return { key, value: at === -1 ? '' : text.slice(at + 1) };
}

function readDescription(file: string): string {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read the description file '${file}': ${(error as Error).message}`, EXIT.usage);
  }
}
