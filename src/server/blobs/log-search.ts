import type { FileHandle } from 'node:fs/promises';
import { readAt } from './log-files.js';

/** Small reads keep each chunk's text in V8's young generation, which is freed at once. */
const CHUNK = 64 * 1024;

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/**
 * Line numbers (0-based) of the first `size` bytes whose text contains `query`,
 * case-insensitive; at most `limit`. The log is read once, a chunk at a time: memory stays
 * one chunk whatever the log's or a line's size.
 */
export async function searchLog(handle: FileHandle, size: number, query: string, limit: number): Promise<{ lines: number[]; truncated: boolean }> {
  const needle = query.toLowerCase();
  // A chunk inside a long line is read again from this far back, so no match is cut in two.
  const overlap = 4 * needle.length + 4;
  const found: number[] = [];
  let line = 0;
  let position = 0;
  const record = (at: number) => {
    if (found[found.length - 1] !== at) found.push(at);
    return found.length >= limit;
  };
  const buffer = Buffer.allocUnsafe(CHUNK);
  while (position < size) {
    const chunk = await readAt(handle, position, Math.min(CHUNK, size - position), buffer);
    if (chunk.length === 0) break;
    const atEnd = position + chunk.length >= size;
    const lastNewline = chunk.lastIndexOf(10);
    if (lastNewline === -1 && !atEnd) {
      // The middle of a line longer than a chunk: search this piece, then read on.
      if (chunk.toString('utf8').toLowerCase().includes(needle) && record(line)) return { lines: found, truncated: true };
      position += Math.max(1, chunk.length - overlap);
      continue;
    }
    const used = atEnd ? chunk.length : lastNewline + 1;
    const text = chunk.toString('utf8', 0, used).toLowerCase();
    let counted = 0;
    for (let match = text.indexOf(needle); match !== -1; ) {
      line += countNewlines(text, counted, match);
      if (record(line)) return { lines: found, truncated: true };
      const end = text.indexOf('\n', match);
      counted = end === -1 ? text.length : end;
      match = end === -1 ? -1 : text.indexOf(needle, end + 1);
    }
    line += countNewlines(text, counted, text.length);
    position += used;
  }
  return { lines: found, truncated: false };
}
