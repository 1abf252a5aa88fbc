import { execFile } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');

/** Nothing listens on port 1: a URL that must never be the one used. */
export const UNREACHABLE = 'http://127.0.0.1:1';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `runstudio …` from source as a real process. `env` entries replace the test
 * process's; an undefined entry removes the variable. `input` is written to its stdin (a pipe).
 */
export function runCli(args: string[], env: Record<string, string | undefined>, input?: string): Promise<CliResult> {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...env })) if (value !== undefined) merged[key] = value;
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'src/cli/dev-entry.ts', ...args], { cwd: root, env: merged, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
