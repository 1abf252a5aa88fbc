import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GroupProcess {
  child: ChildProcess;
  /** The process group id: the leader's pid. */
  pid: number;
  /** Settles once the leader has exited and been reaped. */
  exited: Promise<Exit>;
}

/**
 * Starts `command` (no shell) as the leader of its own process group, so a stop reaches
 * every process it started (data loaders, shells) and Ctrl-C at the terminal reaches only
 * the launcher, which decides. Rejects when the command cannot be started.
 */
export function spawnGroup(command: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string; stdin: 'inherit' | 'ignore' }): Promise<GroupProcess> {
  const [file, ...args] = command;
  const child = spawn(file!, args, { cwd: options.cwd, env: options.env, detached: true, stdio: [options.stdin, 'pipe', 'pipe'] });
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => {
      child.off('error', reject);
      resolve({ child, pid: child.pid!, exited });
    });
  });
}

/** Signals every process of the group; false when none is left. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * Stops a group: SIGTERM to all of it, SIGKILL to whatever is left after `graceMs` (or at
 * once when `now` resolves: a second Ctrl-C). Resolves when the leader has exited and no
 * process of the group is left, or 2 s after the SIGKILL (a zombie nobody reaps stays
 * listed in its group forever).
 */
export async function stopGroup(group: GroupProcess, graceMs: number, now: Promise<void>): Promise<void> {
  const done = new AbortController();
  const wait = (ms: number) => sleep(ms, undefined, { signal: done.signal }).catch(() => undefined);
  const gone = (async () => {
    await group.exited;
    while (!done.signal.aborted && signalGroup(group.pid, 0)) await wait(25);
  })();
  try {
    signalGroup(group.pid, 'SIGTERM');
    await Promise.race([gone, wait(graceMs), now]);
    signalGroup(group.pid, 'SIGKILL');
    await Promise.race([gone, wait(2000)]);
  } finally {
    done.abort();
  }
}

/** The shell's convention: the exit code, or 128 + the signal's number when a signal ended it. */
export function exitCodeOf(exit: Exit): number {
  if (exit.code !== null) return exit.code;
  const number = exit.signal ? os.constants.signals[exit.signal] : undefined;
  return 128 + (number ?? 0);
}
