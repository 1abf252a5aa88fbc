import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { LAUNCH_TAGS } from '../../shared/studio/control.js';
import { CliError, EXIT, type ApiClient } from '../api-client.js';
import type { Run } from '../../shared/mlflow/types.js';
import { childEnv } from './child-env.js';
import { LogShipper } from './log-shipper.js';
import { exitCodeOf, spawnGroup, stopGroup, type Exit, type GroupProcess } from './process-group.js';
import { withRetry } from './retry.js';
import { attachControl, holdRun } from './run-control.js';
import { logBatch } from './run-setup.js';
import { Spool, spoolFile } from './spool.js';
import { startSystemMetrics, systemMetricsIntervalMs } from './system-metrics.js';

/** How long the launcher waits, after the process ended, for an absent server to take the last log bytes and the status. */
const FINAL_WAIT_MS = 30_000;

export interface LaunchOptions {
  api: ApiClient;
  trackingUri: string;
  runId: string;
  experimentId: string;
  command: readonly string[];
  graceMs: number;
  cwd: string;
  stdin: 'inherit' | 'ignore';
  /** Where the process's output is shown besides the run's log: the terminal (prefixed in a sweep). */
  output: { stdout: (chunk: Buffer) => void; stderr: (chunk: Buffer) => void };
  /** The launcher's own messages (stderr). */
  say: (message: string) => void;
  /** A sweep's child: launched only if still Queued, then set RUNNING. */
  queued?: boolean;
}

export type StopReason = 'cancel' | 'interrupt' | 'ended';

export interface LaunchResult {
  /** The run's final status; null when it was skipped (no longer Queued when its turn came). */
  status: string | null;
  /** The process's exit code, 128 + the signal's number when a signal ended it. */
  exitCode: number;
  /** What stopped it, when it did not end on its own. */
  stoppedBy: StopReason | null;
  /** A Ctrl-C was among the reasons. */
  interrupted: boolean;
}

/**
 * One launched process for one run: takes hold of the run, starts the process in its own
 * group, ships its output to the run's log, samples its system metrics, stops it on a
 * cancel (SIGTERM, SIGKILL after the grace period) and records how it ended.
 */
export class Launch {
  readonly done: Promise<LaunchResult>;
  private stopReason: StopReason | null = null;
  private interrupted = false;
  private endedStatus: string | null = null;
  private group: GroupProcess | null = null;
  private exited = false;
  private stopping: Promise<void> | null = null;
  private finishing = false;
  private retrying = false;
  private readonly shipper: LogShipper;
  private killNow: () => void = () => undefined;
  private readonly killNowSignal = new Promise<void>((resolve) => (this.killNow = resolve));

  constructor(private readonly o: LaunchOptions) {
    this.shipper = new LogShipper({ api: o.api, runId: o.runId, spool: new Spool(spoolFile(o.runId)), warn: o.say });
    this.done = this.run();
  }

  /** Stop as a cancel from the studio does: the run ends KILLED. */
  cancel(): void {
    this.requestStop('cancel');
  }

  /** Ctrl-C: the same as cancel; a second one skips the rest of the grace period. */
  interrupt(): void {
    if (!this.exited) this.interrupted = true;
    this.requestStop('interrupt');
  }

  /** The process has ended and the launcher is waiting for an absent server to take the rest. */
  get waitingForServer(): boolean {
    return this.finishing && (this.retrying || this.shipper.failing);
  }

  /** Stops waiting for the server: output not sent yet is left in the spool file, whose path it gives. */
  abandon(): string | null {
    return this.shipper.abandon();
  }

  private requestStop(reason: StopReason): void {
    if (this.exited) return;
    if (this.stopReason) {
      if (reason === 'interrupt') this.killNow();
      return;
    }
    this.stopReason = reason;
    if (this.group) this.stopping = stopGroup(this.group, this.o.graceMs, this.killNowSignal);
  }

  private async run(): Promise<LaunchResult> {
    const { api, runId, graceMs } = this.o;
    const skipped: LaunchResult = { status: null, exitCode: 0, stoppedBy: null, interrupted: false };
    // A server restarting between two children of a sweep is waited for.
    const patiently = <T>(call: () => Promise<T>) => withRetry(call, Date.now() + FINAL_WAIT_MS);
    if (this.o.queued && (await patiently(() => runStatus(api, runId))) !== 'SCHEDULED') return skipped;
    let controlled: boolean;
    try {
      // Held before the process starts, so a cancel from now on is heard.
      controlled = await patiently(() => attachControl(api, runId, graceMs, process.pid));
    } catch (error) {
      if (!(error instanceof CliError && error.exitCode === EXIT.invalid)) throw error;
      if (this.o.queued) return skipped;
      // Cancelled (or otherwise ended) between its creation and now: nothing was started,
      // and the status the server gave it stays. Exit as a process stopped by SIGTERM would.
      this.o.say(`run ${runId} was ended before its process started (${error.message}); nothing was launched.`);
      return { status: null, exitCode: 143, stoppedBy: 'ended', interrupted: false };
    }
    if (!controlled) this.o.say('this server has no run control: Cancel in the studio will not stop the process.');
    const hold = controlled
      ? holdRun(api, runId, graceMs, {
          onCancel: () => this.requestStop('cancel'),
          onEnded: (status) => {
            this.endedStatus ??= status;
            this.requestStop('ended');
          },
        })
      : null;
    const shipper = this.shipper;
    let exit: Exit | null = null;
    try {
      if (this.o.queued) await patiently(() => api.json(`/api/2.0/mlflow/runs/update`, { body: { run_id: runId, status: 'RUNNING' } }));
      if (!this.stopReason) exit = await this.execute(shipper, controlled);
      this.exited = true;
    } finally {
      hold?.stop();
    }
    return this.finish(shipper, exit);
  }

  /** Runs the process to its end; a process that cannot start ends 127 (not found) or 126. */
  private async execute(shipper: LogShipper, controlled: boolean): Promise<Exit> {
    const { api, runId } = this.o;
    let group: GroupProcess;
    try {
      group = await spawnGroup(this.o.command, { cwd: this.o.cwd, env: childEnv(this.o), stdin: this.o.stdin });
    } catch (error) {
      const message = `runstudio: cannot start '${this.o.command[0]}': ${(error as Error).message}\n`;
      this.o.output.stderr(Buffer.from(message));
      shipper.write(Buffer.from(message));
      this.exited = true;
      return { code: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 126, signal: null };
    }
    this.group = group;
    if (this.stopReason) this.stopping = stopGroup(group, this.o.graceMs, this.killNowSignal);
    const copy = (show: (chunk: Buffer) => void) => (chunk: Buffer) => {
      show(chunk);
      shipper.write(chunk);
    };
    group.child.stdout!.on('data', copy(this.o.output.stdout));
    group.child.stderr!.on('data', copy(this.o.output.stderr));
    const closed = once(group.child, 'close').catch(() => undefined);
    if (controlled) await attachControl(api, runId, this.o.graceMs, group.pid).catch(() => false);
    const metrics = startSystemMetrics(api, runId, group.pid, systemMetricsIntervalMs());
    const exit = await group.exited;
    this.exited = true;
    await this.stopping;
    await metrics.stop();
    // Processes it left behind may hold its output open: read what comes within 1 s.
    await Promise.race([closed, sleep(1000)]);
    group.child.stdout!.destroy();
    group.child.stderr!.destroy();
    return exit;
  }

  /** Sends the last log bytes, the exit code tags and the final status, waiting for an absent server. */
  private async finish(shipper: LogShipper, exit: Exit | null): Promise<LaunchResult> {
    const { api, runId } = this.o;
    // Stopped before its process started: nothing exited, so no exit code is recorded.
    const exitCode = exit ? exitCodeOf(exit) : EXIT.failure;
    this.finishing = true;
    const killed = this.stopReason === 'cancel' || this.stopReason === 'interrupt';
    const status = this.endedStatus ?? (killed ? 'KILLED' : exitCode === 0 ? 'FINISHED' : 'FAILED');
    const deadline = Date.now() + FINAL_WAIT_MS;
    if (shipper.failing) this.o.say(`waiting up to ${FINAL_WAIT_MS / 1000} s for the server to take the last ${shipper.unsent} bytes of output… (Ctrl-C: stop waiting)`);
    const log = await shipper.close(deadline);
    if (log.unsent > 0) this.o.say(`${log.unsent} bytes of output could not be sent to the server; they are kept in ${log.spoolFile}.`);
    const tags = exit ? [{ key: LAUNCH_TAGS.exitCode, value: String(exitCode) }, ...(exit.signal ? [{ key: LAUNCH_TAGS.signal, value: exit.signal }] : [])] : [];
    const waiting = () => {
      this.retrying = true;
      this.o.say(`waiting up to ${FINAL_WAIT_MS / 1000} s for the server to record the end of run ${runId}… (Ctrl-C: stop waiting)`);
    };
    try {
      if (tags.length > 0) await withRetry(() => logBatch(api, runId, [], tags), deadline, waiting);
      // A run ended by someone else (Mark as failed, lost contact) keeps the status they gave it.
      if (this.endedStatus === null) {
        await withRetry(() => api.json(`/api/2.0/mlflow/runs/update`, { body: { run_id: runId, status, end_time: Date.now() } }), deadline, waiting);
      }
    } catch (error) {
      if (error instanceof CliError && error.exitCode === EXIT.invalid) {
        // Ended by the server meanwhile (Mark as failed, a cancel of a lost launcher): its status stays.
        this.o.say(`run ${runId} was already ended on the server; its status there is kept (${error.message}).`);
      } else {
        this.o.say(`could not record the end of run ${runId} (${(error as Error).message}); the server will mark it failed when its heartbeats stop.`);
      }
    }
    return { status, exitCode, stoppedBy: this.stopReason, interrupted: this.interrupted };
  }
}

async function runStatus(api: ApiClient, runId: string): Promise<string> {
  return (await api.json<{ run: Run }>(`/api/2.0/mlflow/runs/get?run_id=${runId}`)).run.info.status;
}
