import { sql, type Kysely } from 'kysely';

/**
 * The tables of migration 0014_notifications; the same on both stores but for the serial key.
 * `notification_events` is the outbox: a status change writes its row in the change's own
 * transaction; the worker fans each event out to the rules it matches as deliveries.
 */
export async function notificationTables(db: Kysely<unknown>, serialKey: string): Promise<void> {
  await sql.raw(`CREATE TABLE notification_rules (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    scope TEXT NOT NULL,
    events TEXT NOT NULL,
    on_running INTEGER NOT NULL,
    on_finished INTEGER NOT NULL,
    on_failed INTEGER NOT NULL,
    on_killed INTEGER NOT NULL,
    stalled_minutes INTEGER,
    channel TEXT NOT NULL,
    secret TEXT,
    paused INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  )`).execute(db);
  await sql.raw('CREATE INDEX notification_rules_owner ON notification_rules (owner)').execute(db);
  await sql.raw(`CREATE TABLE notification_events (
    seq ${serialKey},
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    run_uuid TEXT,
    from_status TEXT,
    to_status TEXT,
    rule_id TEXT,
    dedupe_key TEXT UNIQUE,
    data TEXT,
    at BIGINT NOT NULL,
    fanned_out INTEGER NOT NULL DEFAULT 0
  )`).execute(db);
  await sql.raw('CREATE INDEX notification_events_waiting ON notification_events (seq) WHERE fanned_out = 0').execute(db);
  await sql.raw('CREATE INDEX notification_events_at ON notification_events (at)').execute(db);
  await sql.raw(`CREATE TABLE notification_deliveries (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    UNIQUE (event_id, rule_id)
  )`).execute(db);
  await sql.raw(`CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE state = 'pending'`).execute(db);
  await sql.raw('CREATE INDEX notification_deliveries_rule ON notification_deliveries (rule_id, created_at)').execute(db);
  // The stall each stall rule last reported for each running run, by its last sign of life:
  // a run is reported once per stall, and a scan skips what it reported already.
  await sql.raw(`CREATE TABLE notification_stalls (
    rule_id TEXT NOT NULL,
    run_uuid TEXT NOT NULL,
    since BIGINT NOT NULL,
    PRIMARY KEY (rule_id, run_uuid)
  )`).execute(db);
  // Where a user's own notifications go: set by an admin, so a rule cannot mail a stranger.
  await sql.raw('ALTER TABLE users ADD COLUMN email TEXT').execute(db);
  // When each run last showed life (a metric or a log line), for stalled-run rules.
  await sql.raw('CREATE TABLE run_liveness (run_uuid TEXT PRIMARY KEY, at BIGINT NOT NULL)').execute(db);
}
