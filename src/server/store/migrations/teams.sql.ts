import { sql, type Kysely } from 'kysely';

/** The tables of migration 0013_teams; the same on both stores but for the id column's type. */
export async function teamsTables(db: Kysely<unknown>, serialKey: string): Promise<void> {
  await sql.raw(`CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT,
    created_at BIGINT NOT NULL
  )`).execute(db);
  await sql.raw(`CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    expires_at BIGINT
  )`).execute(db);
  await sql.raw('CREATE INDEX api_tokens_user ON api_tokens (user_id)').execute(db);
  await sql.raw(`CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  )`).execute(db);
  await sql.raw('CREATE INDEX sessions_user ON sessions (user_id)').execute(db);
  await sql.raw(`CREATE TABLE run_activity (
    id ${serialKey},
    run_uuid TEXT NOT NULL,
    at BIGINT NOT NULL,
    user_name TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT
  )`).execute(db);
  await sql.raw('CREATE INDEX run_activity_run ON run_activity (run_uuid, id)').execute(db);
  await sql.raw('CREATE TABLE server_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)').execute(db);
}
