import { z } from 'zod';

const nonNegative = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const logAppendQuery = z.object({ offset: nonNegative });
export const logRangeQuery = z.object({ from: nonNegative.optional(), to: nonNegative.optional() });
export const logLinesQuery = z.object({ start: nonNegative.optional().default(0), count: z.coerce.number().int().min(1).max(5000).optional().default(500) });
export const logSearchQuery = z.object({ q: z.string().min(1).max(500), limit: z.coerce.number().int().min(1).max(10_000).optional().default(1000) });
export const logStreamQuery = z.object({ from: nonNegative.optional().default(0) });
/** `Last-Event-ID` of a reconnecting tail: the byte offset received so far; overrides `from`. */
export const logLastEventId = z.string().regex(/^\d{1,15}$/).transform(Number);

export const logInfoSchema = z.object({ name: z.string(), size: z.number() });
export type LogInfo = z.infer<typeof logInfoSchema>;

/**
 * A window of a log's lines. A line longer than 64 KiB comes cut, ending in
 * `…[line cut: N of M bytes shown]`; a window stops before 4 MiB of text, and then says
 * `truncated: true` with fewer lines than asked (ask again from `start + lines.length`).
 */
export const logLinesSchema = z.object({
  totalLines: z.number(),
  size: z.number(),
  start: z.number(),
  lines: z.array(z.string()),
  truncated: z.literal(true).optional(),
});
export type LogLines = z.infer<typeof logLinesSchema>;

/** `POST /runs/:id/logs/:name?offset=`: the log's size after the append, and how many bytes were new. */
export const logAppendResponse = z.object({ size: z.number(), appended: z.number() });

/** `GET /runs/:id/logs/:name/search`: the matching line numbers (0-based). */
export const logSearchResponse = z.object({ lines: z.array(z.number()), truncated: z.boolean() });

/** One server-sent event of a live tail: the bytes [from, to) of the log, as text. */
export interface LogAppendEvent {
  from: number;
  to: number;
  text: string;
}
