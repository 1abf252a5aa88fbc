import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where a run's unsent log bytes wait: $XDG_CACHE_HOME/runstudio/spool, else <tmp>/runstudio-spool. */
export function spoolFile(runId: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.XDG_CACHE_HOME ? path.join(env.XDG_CACHE_HOME, 'runstudio', 'spool') : path.join(os.tmpdir(), 'runstudio-spool');
  return path.join(dir, `${runId}.log`);
}

/**
 * A file holding log bytes the server has not stored yet (it is away, or answers 5xx),
 * so a long outage costs disk, not memory. Created on first use, removed when drained.
 */
export class Spool {
  private fd: number | null = null;
  /** Bytes in the file. */
  size = 0;

  constructor(readonly file: string) {}

  append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.fd === null) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.fd = fs.openSync(this.file, 'w+', 0o600);
    }
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(this.fd, bytes, written, bytes.length - written, this.size + written);
    this.size += bytes.length;
  }

  /** Up to `length` bytes from `position` in the file. */
  read(position: number, length: number): Buffer {
    const size = Math.max(0, Math.min(length, this.size - position));
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (this.fd !== null && read < size) read += fs.readSync(this.fd, buffer, read, size - read, position + read);
    return buffer;
  }

  /** Empties the file and deletes it: everything in it was stored. */
  remove(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    this.size = 0;
    fs.rmSync(this.file, { force: true });
  }

  /** Closes the file and keeps it on disk (bytes left unsent when the launcher gives up). */
  keep(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
