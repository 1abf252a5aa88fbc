/** An entry is kept at a line start once this many lines… */
export const LINES_PER_ENTRY = 1024;
/** …or this many bytes have passed since the previous entry, whichever comes first. */
export const BYTES_PER_ENTRY = 64 * 1024;

/**
 * A sparse line index of one append-only log: (line number, byte offset) pairs at line
 * starts, in typed arrays, so its memory grows with the log's size / 64 KiB or lines /
 * 1024, never with every line. It is fed the log's bytes in order, once each.
 */
export class SparseLineIndex {
  private lines = new Float64Array(64);
  private offsets = new Float64Array(64);
  private entries = 1;
  /** Bytes of the log fed so far. */
  scanned = 0;
  /** Newlines seen: the number of the line being written. */
  private newlines = 0;
  private lastStart = 0;

  /** Feeds the log's bytes at `at`; bytes already fed are skipped, a gap is ignored. */
  feed(buffer: Buffer, at: number): void {
    if (at > this.scanned || at + buffer.length <= this.scanned) return;
    let lastLine = this.lines[this.entries - 1]!;
    let lastOffset = this.offsets[this.entries - 1]!;
    let newlines = this.newlines;
    let nl = -1;
    for (let i = buffer.indexOf(10, this.scanned - at); i !== -1; i = buffer.indexOf(10, i + 1)) {
      newlines += 1;
      nl = i;
      const start = at + i + 1;
      if (newlines - lastLine >= LINES_PER_ENTRY || start - lastOffset >= BYTES_PER_ENTRY) {
        this.push(newlines, start);
        lastLine = newlines;
        lastOffset = start;
      }
    }
    if (nl !== -1) this.lastStart = at + nl + 1;
    this.newlines = newlines;
    this.scanned = at + buffer.length;
  }

  private push(line: number, offset: number): void {
    if (this.entries === this.lines.length) {
      const grow = (old: Float64Array) => {
        const next = new Float64Array(old.length * 2);
        next.set(old);
        return next;
      };
      this.lines = grow(this.lines);
      this.offsets = grow(this.offsets);
    }
    this.lines[this.entries] = line;
    this.offsets[this.entries] = offset;
    this.entries += 1;
  }

  /** Lines in the bytes fed so far; a last line without '\n' counts. */
  get totalLines(): number {
    return this.lastStart === this.scanned ? this.newlines : this.newlines + 1;
  }

  /** The entry nearest at or before `line`: where a scan for that line starts. */
  floor(line: number): { line: number; offset: number } {
    let lo = 0;
    let hi = this.entries - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.lines[mid]! <= line) lo = mid;
      else hi = mid - 1;
    }
    return { line: this.lines[lo]!, offset: this.offsets[lo]! };
  }

  /**
   * Where `line` starts when the index knows it without a scan: an entry, or the last
   * line. After a line longer than BYTES_PER_ENTRY the next line start is always an entry,
   * which lets a reader skip a huge line without reading it.
   */
  knownStart(line: number): number | null {
    if (line === this.newlines) return this.lastStart;
    const entry = this.floor(line);
    return entry.line === line ? entry.offset : null;
  }

  /** Memory held by this index, in bytes. */
  get byteSize(): number {
    return this.lines.byteLength + this.offsets.byteLength + 64;
  }
}
