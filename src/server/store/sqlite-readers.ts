import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CompiledQuery } from 'kysely';

/**
 * Heavy read-only SQLite queries (chart series scan millions of points) run on worker
 * threads with their own read-only connections: WAL lets them read beside the writer, the
 * event loop stays free for ingest, and both cores work. The worker is a small script
 * kept inline so the same code runs from sources (tests, tsx) and from the build.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 10000');
const statements = new Map();
parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) { statement = db.prepare(sql); statements.set(sql, statement); }
    parentPort.postMessage({ id, rows: statement.all(...parameters) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});`;

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (error: Error) => void;
}

export class SqliteReaders {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private turn = 0;

  constructor(file: string, size = Math.max(1, Math.min(4, os.availableParallelism()))) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    for (let i = 0; i < size; i += 1) {
      // execArgv: [] so the script never inherits flags such as --input-type=module.
      const worker = new Worker(workerSource, { eval: true, execArgv: [], workerData: { file, driver } });
      worker.on('message', ({ id, rows, error }: { id: number; rows?: unknown[]; error?: string }) => {
        const waiting = this.pending.get(id);
        this.pending.delete(id);
        if (error !== undefined) waiting?.reject(new Error(error));
        else waiting?.resolve(rows ?? []);
      });
      // A reader that fails is dropped (its queries fail over to the main connection);
      // it never takes the server down.
      worker.on('error', () => this.drop(worker));
      worker.on('exit', () => this.drop(worker));
      worker.unref();
      this.workers.push(worker);
    }
  }

  private readonly owner = new Map<number, Worker>();

  private drop(worker: Worker): void {
    const index = this.workers.indexOf(worker);
    if (index === -1) return;
    this.workers.splice(index, 1);
    for (const [id, w] of this.owner) {
      if (w !== worker) continue;
      this.pending.get(id)?.reject(new Error('SQLite reader thread stopped'));
      this.pending.delete(id);
      this.owner.delete(id);
    }
  }

  /** Runs one compiled read-only query on the next worker; rejects if none is running. */
  all<T>(query: CompiledQuery): Promise<T[]> {
    if (this.workers.length === 0) return Promise.reject(new Error('no SQLite reader thread'));
    const id = this.next++;
    const worker = this.workers[this.turn++ % this.workers.length]!;
    return new Promise<T[]>((resolve, reject) => {
      this.owner.set(id, worker);
      this.pending.set(id, {
        resolve: (rows) => (this.owner.delete(id), resolve(rows as T[])),
        reject: (error) => (this.owner.delete(id), reject(error)),
      });
      worker.postMessage({ id, sql: query.sql, parameters: query.parameters });
    });
  }

  async close(): Promise<void> {
    const workers = [...this.workers];
    this.workers.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
