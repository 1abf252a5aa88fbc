import fs from 'node:fs';
import path from 'node:path';

/**
 * Calls `onChange` when a log file may have grown: one fs.watch of the file, or of its
 * folder until the file exists. Without a watch (an error, a file system without events)
 * it is inactive, and its owner's timer still notices growth.
 */
export class LogWatcher {
  private watcher: fs.FSWatcher | null = null;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly onChange: () => void,
  ) {
    this.arm();
  }

  get active(): boolean {
    return this.watcher !== null;
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
  }

  private arm(): void {
    this.watcher?.close();
    this.watcher = this.closed ? null : this.open();
    this.watcher?.on('error', () => {
      this.watcher?.close();
      this.watcher = null;
    });
  }

  private open(): fs.FSWatcher | null {
    try {
      return fs.watch(this.file, { persistent: false }, (event) => {
        // Renamed or deleted: watch whatever is at the path now.
        if (event === 'rename') this.arm();
        this.onChange();
      });
    } catch {
      // No file yet: watch its folder until it appears.
    }
    try {
      const dir = path.dirname(this.file);
      fs.mkdirSync(dir, { recursive: true });
      const watcher = fs.watch(dir, { persistent: false }, (_event, name) => {
        if (name !== path.basename(this.file) || !fs.existsSync(this.file)) return;
        this.arm();
        this.onChange();
      });
      if (!fs.existsSync(this.file)) return watcher;
      // Created between the two watches.
      watcher.close();
      return this.open();
    } catch {
      return null;
    }
  }
}
