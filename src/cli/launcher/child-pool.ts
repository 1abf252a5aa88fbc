import { Launch, type LaunchOptions, type LaunchResult, type StopReason } from './launch.js';
import { say } from './say.js';
import type { Child } from './sweep-children.js';
import { LinePrefixer } from './terminal-output.js';

/** Launches the children at most `parallel` at a time, stopping them all when told. */
export class ChildPool {
  private readonly active = new Set<Launch>();
  stopped: StopReason | null = null;

  constructor(private readonly base: Omit<LaunchOptions, 'runId' | 'command' | 'output' | 'say' | 'queued' | 'stdin'>) {}

  stop(reason: StopReason): void {
    this.stopped ??= reason;
    for (const launch of this.active) if (reason === 'interrupt') launch.interrupt(); else launch.cancel();
  }

  /** Each child's result, null for one never launched or skipped (no longer Queued when its turn came). */
  async run(children: Child[], parallel: number): Promise<Array<LaunchResult | null>> {
    const results: Array<LaunchResult | null> = children.map(() => null);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < children.length && !this.stopped; i = next++) results[i] = await this.launch(children[i]!);
    };
    await Promise.all(Array.from({ length: Math.min(parallel, children.length) }, worker));
    return results;
  }

  private async launch(child: Child): Promise<LaunchResult | null> {
    const out = new LinePrefixer(`[${child.name}] `, (b) => process.stdout.write(b));
    const err = new LinePrefixer(`[${child.name}] `, (b) => process.stderr.write(b));
    const launch = new Launch({
      ...this.base,
      runId: child.runId,
      command: child.command,
      stdin: 'ignore',
      output: { stdout: (b) => out.write(b), stderr: (b) => err.write(b) },
      say: (message) => say(`[${child.name}] ${message}`),
      queued: true,
    });
    this.active.add(launch);
    try {
      return await launch.done;
    } catch (error) {
      say(`[${child.name}] could not be launched: ${(error as Error).message}`);
      return null;
    } finally {
      this.active.delete(launch);
      out.flush();
      err.flush();
    }
  }
}

