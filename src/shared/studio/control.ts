import { z } from 'zod';
import { runInfoSchema } from '../mlflow/types.js';

/**
 * Run control: how `runstudio run` holds a run it launched, and how Cancel and "Mark as
 * failed" reach it. See the README's "Cancellation" section.
 */

/** The longest grace period a launcher may ask for between SIGTERM and SIGKILL. */
export const MAX_GRACE_MS = 3_600_000;

/** `POST /api/studio/runs/:id/control`: a launcher takes hold of a run it started. */
export const attachControlBody = z
  .object({
    graceMs: z.number().int().min(0).max(MAX_GRACE_MS),
    host: z.string().min(1).max(255),
    pid: z.number().int().min(1).max(2 ** 31 - 1),
  })
  .strict();
export type AttachControlRequest = z.input<typeof attachControlBody>;

/** `POST /api/studio/runs/:id/fail`: "Mark as failed", with an optional reason. */
export const failRunBody = z.object({ reason: z.string().max(1000).optional() }).strict();
export type FailRunRequest = z.input<typeof failRunBody>;

/** A run's control state, `GET /api/studio/runs/:id/control`. */
export const runControlSchema = z.object({
  /** A launcher (`runstudio run`) holds this run: Cancel stops its process. */
  launched: z.boolean(),
  /** Cancel was asked for and the launcher has not ended the run yet. */
  cancelRequested: z.boolean(),
  cancelRequestedAt: z.number().nullable(),
  graceMs: z.number().nullable(),
  host: z.string().nullable(),
  pid: z.number().nullable(),
  /** The launcher's last heartbeat (ms since epoch). */
  heartbeatAt: z.number().nullable(),
});
export type RunControl = z.infer<typeof runControlSchema>;

/** `POST /api/studio/runs/:id/heartbeat`: what the launcher should do now. */
export const heartbeatResponse = z.object({
  /** Stop the process (SIGTERM, SIGKILL after the grace period), then set the run KILLED. */
  cancelRequested: z.boolean(),
  /** The run was ended by someone else (Mark as failed, lost contact): stop the process, keep that status. */
  ended: z.boolean(),
  status: z.string(),
});
export type HeartbeatResponse = z.infer<typeof heartbeatResponse>;

/** `POST /api/studio/runs/:id/cancel`. */
export const cancelRunResponse = z.object({
  run_info: runInfoSchema,
  /** The run's launcher was asked to stop it: the status changes when it confirms. */
  cancelRequested: z.boolean(),
  /** False: no launcher holds the run, so it was set KILLED and any process it has was not stopped. */
  launched: z.boolean(),
  /** Queued or running runs below it that were cancelled too. */
  childrenCancelled: z.number(),
});
export type CancelRunResponse = z.infer<typeof cancelRunResponse>;

/**
 * Events of `GET /api/studio/runs/:id/control/stream` (server-sent events):
 * `event: cancel` (data: {graceMs}) when a cancel is asked for, at once if it already was;
 * `event: ended` (data: {status}) when the run was ended by someone else; `: keep-alive`
 * comments every 15 s.
 */
export type ControlEvent = { event: 'cancel'; data: { graceMs: number } } | { event: 'ended'; data: { status: string } };

/** Tag set when a run is marked failed by hand or after its launcher's heartbeats stop. */
export const FAIL_REASON_TAG = 'runstudio.failReason';

/** Tags `runstudio run` writes on the runs it launches (system tags, shown in the run page's Launch section). */
export const LAUNCH_TAG_PREFIX = 'runstudio.launch.';
export const LAUNCH_TAGS = {
  /** The command line, quoted so it can be pasted into a shell. */
  command: 'runstudio.launch.command',
  cwd: 'runstudio.launch.cwd',
  host: 'runstudio.launch.host',
  /** Inside a git work tree: HEAD, and whether tracked files differ from it. */
  gitCommit: 'runstudio.launch.gitCommit',
  gitDirty: 'runstudio.launch.gitDirty',
  /** When the process has ended: its exit code, and the signal that ended it if any. */
  exitCode: 'runstudio.launch.exitCode',
  signal: 'runstudio.launch.signal',
} as const;
