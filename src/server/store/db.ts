import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, sql, PostgresDialect, SqliteDialect, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { postgresMigrations } from './migrations/postgres.js';
import { sqliteMigrations } from './migrations/sqlite.js';
import type { Database } from './schema.js';
import { groupCommitWriter } from './sqlite-group-commit.js';
import { SqliteReaders } from './sqlite-readers.js';
import { withStatementCache } from './sqlite-statement-cache.js';

export type StoreConfig =
  | { kind: 'sqlite'; file: string; durability?: 'normal' | 'full' }
  | { kind: 'postgres'; url: string; schema?: string | undefined };

export interface Db {
  kysely: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  /** Runs `work` atomically: a transaction on PostgreSQL, a group-committed savepoint on SQLite. */
  write<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** SQLite only: worker-thread readers for heavy read-only queries (chart series). */
  readers?: SqliteReaders;
  /** PostgreSQL only: the connection URL, for the run-event bus's own LISTEN connection. */
  url?: string;
  close(): Promise<void>;
}

/** Opens the database, applies pending migrations and makes sure experiment "0" exists. */
export async function openDb(config: StoreConfig): Promise<Db> {
  const db = config.kind === 'sqlite' ? openSqlite(config.file, config.durability ?? 'normal') : openPostgres(config.url, config.schema);
  if (config.kind === 'postgres' && config.schema) {
    await db.kysely.schema.createSchema(config.schema).ifNotExists().execute();
  }
  await migrate(db);
  await db.kysely
    .insertInto('experiments')
    .values({
      experiment_id: 0,
      name: 'Default',
      artifact_location: 'mlflow-artifacts:/0',
      lifecycle_stage: 'active',
      creation_time: Date.now(),
      last_update_time: Date.now(),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  if (db.dialect === 'sqlite' && config.kind === 'sqlite') {
    // Opened after migrating: the readers' connections are read-only.
    const readers = new SqliteReaders(path.resolve(config.file));
    const closeWriter = db.close.bind(db);
    db.readers = readers;
    db.close = async () => {
      await readers.close();
      await closeWriter();
    };
  }
  return db;
}

function openSqlite(file: string, durability: 'normal' | 'full'): Db {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new SqliteDatabase(file);
  // Password hashes, session ids and the CSRF secret live here: only the owner reads it, whoever
  // created it (the server, or `runstudio users add` before the first start). SQLite gives its
  // -wal and -shm files the same mode.
  fs.chmodSync(file, 0o600);
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 10000');
  // NORMAL in WAL mode: a crash of the process loses nothing committed; a power loss can take
  // the last commits. FULL syncs the WAL on every commit, so a power loss takes nothing.
  database.pragma(durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  database.pragma('cache_size = -65536');
  // MLflow's LIKE is case-sensitive; ILIKE is the case-insensitive one.
  database.pragma('case_sensitive_like = ON');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { kysely, dialect: 'sqlite', write: groupCommitWriter(kysely), close: () => kysely.destroy() };
}

function openPostgres(url: string, schema: string | undefined): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    types: {
      // BIGINT columns hold millisecond timestamps and steps: they fit a JS number.
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? (v: string) => Number(v) : (pg.types.getTypeParser(oid, format) as (value: string) => unknown),
    },
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', url, write: (work) => kysely.transaction().execute(work), close: () => kysely.destroy() };
}

async function migrate(db: Db): Promise<void> {
  const migrations = db.dialect === 'sqlite' ? sqliteMigrations : postgresMigrations;
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  // Kysely looks for its bookkeeping tables in every schema; pin them to ours, or another
  // schema's tables (another app, another test) would be taken for this one's.
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db.kysely)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({ db: db.kysely, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const reason = error instanceof Error ? error.toString() : JSON.stringify(error);
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${reason}`, { cause: error });
  }
}
