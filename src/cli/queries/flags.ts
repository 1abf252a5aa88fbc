import { Option, type Command } from 'commander';
import { apiClient, resolveTrackingUri, type ApiClient } from '../api-client.js';
import { outputFormats, type OutputFormat } from './output.js';

export interface ServerFlags {
  trackingUri?: string;
}

export interface OutputFlags {
  query?: string;
  output: OutputFormat;
}

/** `--tracking-uri`, on every query command. */
export function withServer(command: Command): Command {
  return command.option('--tracking-uri <url>', 'server to talk to (default: $RUNSTUDIO_URL, else $MLFLOW_TRACKING_URI, else http://127.0.0.1:5000)');
}

/** `--query` and `--output`, on commands that print objects. */
export function withOutput(command: Command): Command {
  return command
    .option('--query <jmespath>', 'JMESPath expression applied to the result before printing (https://jmespath.org)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(outputFormats).default('json'));
}

export function clientFor(flags: ServerFlags): ApiClient {
  return apiClient(resolveTrackingUri(flags.trackingUri));
}

/** Collects a repeatable option's values (no default: commander would print `(default: [])` in the help). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
