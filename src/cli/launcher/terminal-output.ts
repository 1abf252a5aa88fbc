/** Copies a launched process's output to the terminal unchanged (`runstudio run`). */
export const plainOutput = {
  stdout: (chunk: Buffer) => void process.stdout.write(chunk),
  stderr: (chunk: Buffer) => void process.stderr.write(chunk),
};

/**
 * Prefixes each whole line with `[name] ` so a sweep's children can share one terminal;
 * a partial line waits for its end (or 64 KiB, or `flush`). The run's log stays unprefixed.
 */
export class LinePrefixer {
  private partial: Buffer[] = [];
  private partialSize = 0;

  constructor(
    private readonly prefix: string,
    private readonly sink: (text: Buffer) => void,
  ) {}

  write(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
      this.emit(chunk.subarray(start, newline + 1));
      start = newline + 1;
    }
    if (start < chunk.length) {
      this.partial.push(chunk.subarray(start));
      this.partialSize += chunk.length - start;
      if (this.partialSize > 64 * 1024) this.flush();
    }
  }

  /** Writes a partial line out, ending it. */
  flush(): void {
    if (this.partialSize > 0) this.emit(Buffer.from('\n'));
  }

  private emit(end: Buffer): void {
    this.sink(Buffer.concat([Buffer.from(this.prefix), ...this.partial, end]));
    this.partial = [];
    this.partialSize = 0;
  }
}
