import { z } from 'zod';

/**
 * The run-event stream, `GET /api/studio/events` (server-sent events). Every event has an
 * `id:` (one sequence for the whole server, across replicas) and `event: run`, with data a
 * RunEvent; a page reconnecting with `Last-Event-ID` (or `?after=`) gets what it missed.
 * When what it missed was pruned, it gets one `event: reset` and should refetch; every 15 s an
 * `event: ping` carries the id the stream has dealt with (its Last-Event-ID). Events are
 * coalesced: one `metrics` event stands for every point a run logged in the last moment.
 */
export const runEventKinds = ['created', 'status', 'metrics', 'log', 'updated', 'deleted'] as const;
export type RunEventKind = (typeof runEventKinds)[number];

export const runEventSchema = z.object({
  kind: z.enum(runEventKinds),
  runId: z.string(),
  experimentId: z.string(),
  /** `status`: the new MLflow status; `cancelRequested` when a cancel was asked for. */
  status: z.string().optional(),
  cancelRequested: z.boolean().optional(),
  /** `metrics`: the keys whose latest value changed. */
  keys: z.array(z.string()).optional(),
  /** `log`: the log that grew and its size now. */
  log: z.string().optional(),
  size: z.number().optional(),
  /** `updated`: what changed (`name`, `description`, `tags`, `params`, `datasets`, `models`). */
  fields: z.array(z.string()).optional(),
  parentRunId: z.string().nullable().optional(),
});
export type RunEvent = z.infer<typeof runEventSchema>;

/** At most this many experiments and runs in one stream's scope (a URL stays under Node's 16 KB header limit). */
export const MAX_EVENT_SCOPE_EXPERIMENTS = 200;
export const MAX_EVENT_SCOPE_RUNS = 300;

const idList = (max: number, what: string) =>
  z
    .string()
    .max(max * 40)
    .transform((s) => s.split(',').filter((x) => x.length > 0))
    .refine((ids) => ids.length <= max, { message: `at most ${max} ${what}` })
    .refine((ids) => ids.every((id) => /^[A-Za-z0-9_-]{1,64}$/.test(id)), { message: `${what} are ids of letters, digits, '_' and '-'` });

/**
 * What a stream shows: runs of these experiments and these runs (comma-separated); neither:
 * every run. `after`: the last event id seen (as Last-Event-ID, which wins when both are sent).
 */
export const runEventsQuery = z.object({
  experiments: idList(MAX_EVENT_SCOPE_EXPERIMENTS, 'experiments').optional(),
  runs: idList(MAX_EVENT_SCOPE_RUNS, 'runs').optional(),
  after: z.string().regex(/^\d{1,15}$/, 'after is an event id').transform(Number).optional(),
});
export type RunEventsQuery = z.input<typeof runEventsQuery>;
