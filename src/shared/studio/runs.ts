import { z } from 'zod';
import type { RunStatus } from '../run-status.js';

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

export interface LatestMetric {
  value: number | string;
  step: number;
  timestamp: number;
}

export interface StudioRun {
  runId: string;
  runName: string;
  experimentId: string;
  experimentName: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  lifecycleStage: 'active' | 'deleted';
  parentRunId: string | null;
  childCount: number;
  /** A launcher (`runstudio run`) holds the run: Cancel stops its process. */
  launched: boolean;
  /** Cancel was asked for and the launcher has not confirmed yet ("Cancel requested"). */
  cancelRequested: boolean;
  metrics: Record<string, LatestMetric>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface StudioSearchRunsResponse {
  runs: StudioRun[];
  total: number;
  nextPageToken: string | null;
}

/** A run below another: depth 1 is a direct child. */
export interface ChildRun extends StudioRun {
  depth: number;
}

/** Children newest first; with `recursive`, the tree in pre-order (each run, then its subtree). */
export interface ChildRunsPage {
  runs: ChildRun[];
  nextPageToken: string | null;
}
