import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDb, type TestDb } from '../test-support/backends.js';
import { RunEventBus } from './run-event-bus.js';

describe.each(backends())('the run-event bus on %s', (backend) => {
  let store: TestDb;
  beforeAll(async () => {
    store = await openTestDb(backend);
  });
  afterAll(async () => {
    await store.cleanup();
  });
  const stored = async () => (await store.db.kysely.selectFrom('run_events').select('data').execute()).map((r) => JSON.parse(r.data) as { runId: string });

  it('goes on storing events after one write failed', async () => {
    const bus = new RunEventBus(store.db, { flushMs: 1 });
    await bus.start();
    try {
      await sql`ALTER TABLE run_events RENAME TO run_events_away`.execute(store.db.kysely);
      bus.publish({ kind: 'status', runId: 'lost', experimentId: '0', status: 'FAILED' });
      await expect(bus.flush()).rejects.toThrow();
      await sql`ALTER TABLE run_events_away RENAME TO run_events`.execute(store.db.kysely);
      bus.publish({ kind: 'status', runId: 'kept', experimentId: '0', status: 'FINISHED' });
      await bus.flush();
      expect((await stored()).map((e) => e.runId)).toContain('kept');
    } finally {
      await bus.close();
    }
  });

  it('holds the events after an id another replica has read but this one has not yet', async () => {
    const writer = new RunEventBus(store.db, { flushMs: 1 });
    await writer.start();
    // A replica that has not heard of the write yet: no LISTEN connection, no poll within the test.
    const reader = new RunEventBus({ ...store.db, url: undefined }, { flushMs: 1, pollMs: 60_000 });
    await reader.start();
    try {
      writer.publish({ kind: 'status', runId: 'ahead', experimentId: '0', status: 'RUNNING' });
      await writer.flush();
      const id = (await writer.readAfter(0, 10_000)).at(-1)!.id;
      // The reader has not looked at the table since it started: its head is behind that id.
      expect(reader.head).toBeLessThan(id);
      expect(await reader.holdsAfter(id)).toBe(true);
      expect(await reader.holdsAfter(id + 1000)).toBe(false);
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});
