import { z } from 'zod';
import { loggedModelStatuses } from '../mlflow/logged-models.js';
import { wireDouble } from '../mlflow/types.js';
import { runStatuses } from '../run-status.js';

/** Studio API: run search with full-text `q`, child counts and keyset pages. */
export const studioSearchRunsBody = z.object({
  q: z.string().max(500).optional().default(''),
  filter: z.string().max(10_000).optional().default(''),
  experimentIds: z.array(z.string()).optional().default([]),
  /** Absent: top-level runs only; "*": every run; a run id: that run's direct children. */
  parentRunId: z.string().optional(),
  /** Only these runs (at most 1,000): how the explorer refreshes the live runs on screen. */
  runIds: z.array(z.string().max(64)).max(1000).optional(),
  orderBy: z.array(z.string()).optional().default([]),
  pageToken: z.string().optional(),
  pageSize: z.number().int().min(1).max(1000).optional().default(100),
  viewType: z.enum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']).optional().default('ACTIVE_ONLY'),
});
export type StudioSearchRunsRequest = z.input<typeof studioSearchRunsBody>;

export const createChildrenBody = z.union([
  z.object({ count: z.number().int().min(1).max(1000) }).strict(),
  z
    .object({
      tagKey: z.string().min(1).max(250),
      tagValues: z.array(z.string().max(5000)).min(1).max(1000),
    })
    .strict(),
]);
export type CreateChildrenRequest = z.input<typeof createChildrenBody>;

/** `GET /runs/:id/children`: one keyset page of the direct children, or of the whole tree below. */
export const childrenQuery = z.object({
  recursive: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  pageSize: z.coerce.number().int().min(1).max(1000).optional().default(100),
  /** Opaque: the `nextPageToken` of the page before. */
  pageToken: z.string().min(1).max(20_000).optional(),
});
export type ChildrenRequest = z.input<typeof childrenQuery>;

export const latestMetricSchema = z.object({ value: wireDouble, step: z.number(), timestamp: z.number() });
export type LatestMetric = z.infer<typeof latestMetricSchema>;

export const studioRunSchema = z.object({
  runId: z.string(),
  runName: z.string(),
  experimentId: z.string(),
  experimentName: z.string(),
  userId: z.string(),
  status: z.enum(runStatuses),
  startTime: z.number(),
  endTime: z.number().nullable(),
  lifecycleStage: z.enum(['active', 'deleted']),
  parentRunId: z.string().nullable(),
  childCount: z.number(),
  /** A launcher (`runstudio run`) holds the run: Cancel stops its process. */
  launched: z.boolean(),
  /** Cancel was asked for and the launcher has not confirmed yet ("Cancel requested"). */
  cancelRequested: z.boolean(),
  metrics: z.record(z.string(), latestMetricSchema),
  params: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
  /** The run's dataset inputs, in the order logged (`context` is the `mlflow.data.context` input tag). */
  datasets: z.array(z.object({ name: z.string(), digest: z.string(), context: z.string().nullable() })),
  /** Logged models (MLflow 3) this run produced: its outputs, and models whose source run it is. */
  models: z.array(z.object({ modelId: z.string(), name: z.string(), status: z.enum(loggedModelStatuses) })),
});
export type StudioRun = z.infer<typeof studioRunSchema>;

export const studioSearchRunsResponse = z.object({
  runs: z.array(studioRunSchema),
  /** Runs matching the search, counted on the first page only: null on a page asked for by token. */
  total: z.number().nullable(),
  nextPageToken: z.string().nullable(),
});
export type StudioSearchRunsResponse = z.infer<typeof studioSearchRunsResponse>;

/** A run below another: depth 1 is a direct child. */
export const childRunSchema = studioRunSchema.extend({ depth: z.number().int().min(1) });
export type ChildRun = z.infer<typeof childRunSchema>;

/** Children newest first; with `recursive`, the tree in pre-order (each run, then its subtree). */
export const childRunsPage = z.object({
  runs: z.array(childRunSchema),
  nextPageToken: z.string().nullable(),
});
export type ChildRunsPage = z.infer<typeof childRunsPage>;

/** `GET /runs/:id/ancestors`: the chain of parents, nearest first. */
export const runAncestors = z.object({
  runs: z.array(z.object({ runId: z.string(), runName: z.string(), depth: z.number() })),
});
