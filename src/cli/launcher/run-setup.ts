import os from 'node:os';
import { LAUNCH_TAGS } from '../../shared/studio/control.js';
import { CliError, EXIT, type ApiClient } from '../api-client.js';
import type { Experiment, KeyValue, Run } from '../../shared/mlflow/types.js';
import { gitInfo } from './git-info.js';
import { shellJoin } from './shell-quote.js';

const ML = '/api/2.0/mlflow';
/** MLflow's longest tag value. */
const TAG_VALUE_MAX = 8000;

/** An experiment's id by name, creating it when missing; no name: the Default experiment ("0"). */
export async function resolveExperiment(api: ApiClient, name: string | undefined): Promise<string> {
  if (name === undefined) return '0';
  const byName = async () =>
    (await api.json<{ experiment: Experiment }>(`${ML}/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`)).experiment.experiment_id;
  try {
    return await byName();
  } catch (error) {
    if (!(error instanceof CliError) || error.exitCode !== EXIT.notFound) throw error;
  }
  try {
    return (await api.json<{ experiment_id: string }>(`${ML}/experiments/create`, { body: { name } })).experiment_id;
  } catch (error) {
    // Another launcher created it meanwhile.
    if (error instanceof CliError && error.exitCode === EXIT.invalid) return byName();
    throw error;
  }
}

/** The `runstudio.launch.command` tag: the command line, quoted so it can be pasted into a shell. */
export function commandTag(command: readonly string[]): KeyValue {
  return { key: LAUNCH_TAGS.command, value: shellJoin(command).slice(0, TAG_VALUE_MAX) };
}

/** `runstudio.launch.*` tags: how to run this again, and from which code. */
export async function launchTags(command: readonly string[], cwd: string): Promise<KeyValue[]> {
  const tags = [commandTag(command), { key: LAUNCH_TAGS.cwd, value: cwd.slice(0, TAG_VALUE_MAX) }, { key: LAUNCH_TAGS.host, value: os.hostname() }];
  const git = await gitInfo(cwd);
  if (git) tags.push({ key: LAUNCH_TAGS.gitCommit, value: git.commit }, { key: LAUNCH_TAGS.gitDirty, value: String(git.dirty) });
  return tags;
}

/** The OS user, as MLflow's `mlflow.user`. */
export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}

/** Creates a RUNNING run; returns its id. */
export async function createRun(api: ApiClient, experimentId: string, runName: string | undefined, tags: KeyValue[]): Promise<string> {
  const body = { experiment_id: experimentId, start_time: Date.now(), tags, ...(runName ? { run_name: runName } : {}) };
  return (await api.json<{ run: Run }>(`${ML}/runs/create`, { body })).run.info.run_id;
}

/** Logs params and tags in as many batches as MLflow's limits (100 each) need. */
export async function logBatch(api: ApiClient, runId: string, params: KeyValue[], tags: KeyValue[] = []): Promise<void> {
  for (let i = 0; i < Math.max(params.length, tags.length); i += 100) {
    await api.json(`${ML}/runs/log-batch`, { body: { run_id: runId, params: params.slice(i, i + 100), tags: tags.slice(i, i + 100) } });
  }
}
