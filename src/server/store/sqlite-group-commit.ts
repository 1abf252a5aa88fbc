import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Work<T> = (trx: Kysely<Database>) => Promise<T>;
interface Job {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** At most this many writes share one commit, so readers never wait long. */
const MAX_GROUP = 64;

/**
 * Group commit for SQLite. SQLite has one writer and a commit is the dearest part of a
 * small write, so writes that arrive together share one transaction: each runs in its own
 * SAVEPOINT (a failing one is rolled back alone: all-or-nothing per request still holds),
 * and every caller is answered only after the shared COMMIT, so nothing acknowledged is lost.
 * Work must use the `trx` it is given, never the outer Kysely instance.
 */
export function groupCommitWriter(kysely: Kysely<Database>) {
  const queue: Job[] = [];
  let flushing = false;

  async function flushGroup(jobs: Job[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await kysely.connection().execute(async (conn) => {
        await sql`BEGIN IMMEDIATE`.execute(conn);
        try {
          for (const job of jobs) {
            await sql`SAVEPOINT job`.execute(conn);
            try {
              const value = await job.work(conn);
              await sql`RELEASE job`.execute(conn);
              outcomes.push({ ok: true, value });
            } catch (error) {
              await sql`ROLLBACK TO job`.execute(conn);
              await sql`RELEASE job`.execute(conn);
              outcomes.push({ ok: false, error });
            }
          }
          await sql`COMMIT`.execute(conn);
        } catch (error) {
          await sql`ROLLBACK`.execute(conn).catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      // The transaction itself failed (disk full, lock timeout): no job was written.
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  async function flush(): Promise<void> {
    while (queue.length > 0) await flushGroup(queue.splice(0, MAX_GROUP));
    flushing = false;
  }

  return function write<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!flushing) {
        flushing = true;
        // Let the requests already parsed in this turn of the event loop join the group.
        setImmediate(() => {
          flush().catch((error: unknown) => {
            // flushGroup settles every job itself, so this only guards against a bug there:
            // fail what is queued rather than leave the writer stuck with `flushing` set.
            flushing = false;
            for (const job of queue.splice(0)) job.reject(error);
          });
        });
      }
    });
  };
}
