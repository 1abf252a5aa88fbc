import type { FileHandle } from 'node:fs/promises';
import { BYTES_PER_ENTRY, type SparseLineIndex } from './log-index.js';
import { readAt } from './log-files.js';
import { completePrefix } from './utf8.js';

/** A line longer than this is shown cut, with a marker saying how long it is. */
export const LINE_CAP = 64 * 1024;
/** A window of lines stops before its text passes this many bytes, and says so. */
export const WINDOW_BYTES = 4 * 1024 * 1024;

const CHUNK = 64 * 1024;

/** Reads a log line by line from an offset, keeping at most a chunk in memory. */
class LineCursor {
  private buffer: Buffer = Buffer.alloc(0);
  private bufferAt: number;
  private at = 0;

  constructor(
    private readonly handle: FileHandle,
    position: number,
    private readonly end: number,
  ) {
    this.bufferAt = position;
  }

  get position(): number {
    return this.bufferAt + this.at;
  }

  seek(position: number): void {
    this.buffer = Buffer.alloc(0);
    this.bufferAt = position;
    this.at = 0;
  }

  private async fill(): Promise<boolean> {
    const position = this.position;
    if (position >= this.end) return false;
    this.buffer = await readAt(this.handle, position, Math.min(CHUNK, this.end - position));
    this.bufferAt = position;
    this.at = 0;
    return this.buffer.length > 0;
  }

  /**
   * The next line without its '\n': at most `keep` of its bytes, and its full length. Past
   * `keep` and BYTES_PER_ENTRY, the rest of a long line is skipped: the index knows where
   * the next line starts (`nextStart`, one past the '\n').
   */
  async line(keep: number, nextStart: () => number): Promise<{ bytes: Buffer; length: number }> {
    const start = this.position;
    const parts: Buffer[] = [];
    let kept = 0;
    for (;;) {
      if (this.at >= this.buffer.length && !(await this.fill())) break;
      const nl = this.buffer.indexOf(10, this.at);
      const stop = nl === -1 ? this.buffer.length : nl;
      if (kept < keep) {
        const part = this.buffer.subarray(this.at, Math.min(stop, this.at + keep - kept));
        parts.push(part);
        kept += part.length;
      }
      this.at = stop;
      if (nl !== -1) {
        this.at += 1;
        return { bytes: Buffer.concat(parts), length: this.position - 1 - start };
      }
      if (kept >= keep && this.position - start > BYTES_PER_ENTRY) {
        const next = nextStart();
        this.seek(next);
        return { bytes: Buffer.concat(parts), length: next - 1 - start };
      }
    }
    return { bytes: Buffer.concat(parts), length: this.position - start };
  }
}

function lineText(bytes: Buffer, length: number): string {
  if (length <= LINE_CAP) {
    const end = bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
    return bytes.toString('utf8', 0, end);
  }
  const shown = completePrefix(bytes.subarray(0, LINE_CAP));
  return `${bytes.toString('utf8', 0, shown)}…[line cut: ${shown} of ${length} bytes shown]`;
}

export interface LogWindow {
  lines: string[];
  /** True when the window stopped at WINDOW_BYTES with fewer lines than asked. */
  truncated: boolean;
}

/**
 * Lines [first, first + count) of a log whose first `size` bytes the index has seen. The
 * read starts at the index entry before `first`, so it costs the window, not the log.
 */
export async function readWindow(handle: FileHandle, index: SparseLineIndex, size: number, first: number, count: number): Promise<LogWindow> {
  const entry = index.floor(first);
  const cursor = new LineCursor(handle, entry.offset, size);
  let line = entry.line;
  // Where the line after `line` starts; past the window's end, the line ends at `size`.
  const nextStart = () => {
    const start = index.knownStart(line + 1);
    return start === null || start > size ? size + 1 : start;
  };
  for (; line < first; line += 1) await cursor.line(0, nextStart);
  const lines: string[] = [];
  let bytes = 0;
  for (; lines.length < count && cursor.position < size; line += 1) {
    const { bytes: kept, length } = await cursor.line(LINE_CAP, nextStart);
    const text = lineText(kept, length);
    bytes += Math.min(length, LINE_CAP);
    if (bytes > WINDOW_BYTES && lines.length > 0) return { lines, truncated: true };
    lines.push(text);
  }
  return { lines, truncated: false };
}
