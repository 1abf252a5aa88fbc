import { invalidParameter } from '../errors.js';

/** A run's place among its siblings: start time (newest first), then run id. */
export type SiblingKey = [startTime: number, runId: string];

interface ChildToken {
  /** The run whose children are listed. */
  p: string;
  /** 1 when the page walks the whole tree. */
  r: 0 | 1;
  /** The last row's path: one sibling key per level, from the top down. */
  k: SiblingKey[];
}

const isKey = (value: unknown): value is SiblingKey =>
  Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string' && value[1].length <= 64;

/** An opaque token: the path to the last row of a page. */
export function encodeChildToken(runId: string, path: SiblingKey[], recursive: boolean): string {
  const token: ChildToken = { p: runId, r: recursive ? 1 : 0, k: path };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** The path a token holds; a garbled token, or one from another listing, is a 400. */
export function decodeChildToken(token: string, runId: string, recursive: boolean, maxDepth: number): SiblingKey[] {
  let parsed: Partial<ChildToken> | null = null;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<ChildToken>;
  } catch {
    // Reported below with every other malformed token.
  }
  const valid =
    typeof parsed === 'object' &&
    parsed !== null &&
    parsed.p === runId &&
    parsed.r === (recursive ? 1 : 0) &&
    Array.isArray(parsed.k) &&
    parsed.k.length >= 1 &&
    parsed.k.length <= maxDepth &&
    parsed.k.every(isKey);
  if (!valid) throw invalidParameter(`Invalid value for parameter 'pageToken': it does not belong to this listing; start again without pageToken`);
  return parsed!.k!;
}
