import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../test-support/backends.js';

describe('SQLite reader threads', () => {
  let store: TestDb;
  beforeAll(async () => {
    store = await openTestDb('sqlite');
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('read committed data beside the writer', async () => {
    await store.db.write((trx) => trx.insertInto('experiments').values({ name: 'seen-by-readers', artifact_location: '', lifecycle_stage: 'active', creation_time: 1, last_update_time: 1 }).execute());
    const rows = await store.db.readers!.all<{ name: string }>(sql`SELECT name FROM experiments ORDER BY name`.compile(store.db.kysely));
    expect(rows.map((r) => r.name)).toEqual(['Default', 'seen-by-readers']);
  });

  it('report a bad query as an error, and cannot write', async () => {
    await expect(store.db.readers!.all(sql`SELECT nope FROM nowhere`.compile(store.db.kysely))).rejects.toThrow(/no such table/);
    await expect(store.db.readers!.all(sql`DELETE FROM experiments RETURNING name`.compile(store.db.kysely))).rejects.toThrow(/readonly/);
    await expect(store.db.readers!.all(sql`DELETE FROM experiments`.compile(store.db.kysely))).rejects.toThrow();
    expect((await store.db.kysely.selectFrom('experiments').select('name').execute()).length).toBe(2);
  });
});
