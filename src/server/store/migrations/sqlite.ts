import { sql, type Kysely, type Migration } from 'kysely';
import { backfillRollupsSql } from './rollups.sql.js';
import { teamsTables } from './teams.sql.js';
import { notificationTables } from './notifications.sql.js';
import { rebuildAllSearchText } from '../fulltext.store.js';
import type { Database } from '../schema.js';

/** SQLite migrations, applied in name order on start. Never edit one that has shipped. */
export const sqliteMigrations: Record<string, Migration> = {
  '0001_init': {
    async up(db: Kysely<unknown>) {
      for (const statement of [
        `CREATE TABLE experiments (
           experiment_id INTEGER PRIMARY KEY,
           name TEXT NOT NULL UNIQUE,
           artifact_location TEXT NOT NULL,
           lifecycle_stage TEXT NOT NULL DEFAULT 'active',
           creation_time INTEGER NOT NULL,
           last_update_time INTEGER NOT NULL)`,
        `CREATE TABLE experiment_tags (
           experiment_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
           PRIMARY KEY (experiment_id, key)) WITHOUT ROWID`,
        `CREATE TABLE runs (
           id INTEGER PRIMARY KEY,
           run_uuid TEXT NOT NULL UNIQUE,
           experiment_id INTEGER NOT NULL,
           run_name TEXT NOT NULL,
           user_id TEXT NOT NULL,
           status TEXT NOT NULL,
           start_time INTEGER NOT NULL,
           end_time INTEGER,
           lifecycle_stage TEXT NOT NULL DEFAULT 'active',
           artifact_uri TEXT NOT NULL,
           parent_run_id TEXT,
           deleted_time INTEGER)`,
        `CREATE INDEX runs_experiment ON runs (experiment_id, start_time DESC, run_uuid)`,
        `CREATE INDEX runs_start ON runs (start_time DESC, run_uuid)`,
        `CREATE INDEX runs_parent ON runs (parent_run_id)`,
        `CREATE TABLE params (run_uuid TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
           PRIMARY KEY (run_uuid, key)) WITHOUT ROWID`,
        `CREATE INDEX params_key_value ON params (key, value)`,
        `CREATE TABLE tags (run_uuid TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
           PRIMARY KEY (run_uuid, key)) WITHOUT ROWID`,
        `CREATE INDEX tags_key_value ON tags (key, value)`,
        // History is keyed by runs.id, which only grows: a run's points append at the end
        // of the tree instead of landing at a random run_uuid, and each row is 30 bytes shorter.
        `CREATE TABLE metrics (
           run_id INTEGER NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL, timestamp INTEGER NOT NULL,
           value REAL NOT NULL, is_nan INTEGER NOT NULL,
           PRIMARY KEY (run_id, key, step, timestamp, value, is_nan)) WITHOUT ROWID`,
        `CREATE TABLE latest_metrics (
           run_uuid TEXT NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL, timestamp INTEGER NOT NULL,
           value REAL NOT NULL, is_nan INTEGER NOT NULL,
           PRIMARY KEY (run_uuid, key)) WITHOUT ROWID`,
        `CREATE INDEX latest_metrics_key_value ON latest_metrics (key, value)`,
        // Full-text index for the studio's `q`: one row per run, rowid = runs.id. Queries are
        // word prefixes only, so no positions are kept (detail=none): less to write per run.
        `CREATE VIRTUAL TABLE runs_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', detail = none, columnsize = 0)`,
      ]) {
        await sql.raw(statement).execute(db);
      }
    },
  },
};

sqliteMigrations['0002_views'] = {
  async up(db: Kysely<unknown>) {
    await sql.raw(`CREATE TABLE views (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, owner_id TEXT NOT NULL, visibility TEXT NOT NULL,
      experiment_id INTEGER, state TEXT NOT NULL, version INTEGER NOT NULL,
      created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`).execute(db);
    await sql.raw('CREATE INDEX views_owner ON views (owner_id)').execute(db);
    await sql.raw('CREATE INDEX views_visibility ON views (visibility)').execute(db);
  },
};

sqliteMigrations['0003_metric_rollups'] = {
  async up(db: Kysely<unknown>) {
    await sql.raw(`CREATE TABLE metric_rollups (
      run_id INTEGER NOT NULL, key TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL,
      min_value REAL NOT NULL, min_step INTEGER NOT NULL, min_ts INTEGER NOT NULL,
      max_value REAL NOT NULL, max_step INTEGER NOT NULL, max_ts INTEGER NOT NULL,
      PRIMARY KEY (run_id, key, bucket)) WITHOUT ROWID`).execute(db);
    await sql.raw(backfillRollupsSql).execute(db);
  },
};

// Children of one run, in the order they are listed (newest first): a keyset page is a
// seek, and a child count reads the index alone. Partial, so top-level searches
// (parent_run_id IS NULL) keep the plans they had.
sqliteMigrations['0004_run_children'] = {
  async up(db: Kysely<unknown>) {
    await sql.raw(`CREATE INDEX runs_children ON runs (parent_run_id, lifecycle_stage, start_time DESC, run_uuid)
      WHERE parent_run_id IS NOT NULL`).execute(db);
  },
};

// Runs a launcher (`runstudio run`) holds: its heartbeat, grace period and any cancel asked
// for. A row exists only for launched runs; Cancel on any other run sets KILLED at once.
sqliteMigrations['0005_run_control'] = {
  async up(db: Kysely<unknown>) {
    await sql.raw(`CREATE TABLE run_control (
      run_uuid TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, grace_ms INTEGER NOT NULL,
      attached_at INTEGER NOT NULL, heartbeat_at INTEGER NOT NULL, cancel_requested_at INTEGER)`).execute(db);
    await sql.raw('CREATE INDEX run_control_heartbeat ON run_control (heartbeat_at)').execute(db);
  },
};

// Datasets logged as run inputs (runs/log-inputs): a dataset is stored once per experiment,
// name and digest; a run's link to it carries the input tags (mlflow.data.context, …).
sqliteMigrations['0006_datasets'] = {
  async up(db: Kysely<unknown>) {
    await sql.raw(`CREATE TABLE datasets (
      id INTEGER PRIMARY KEY, experiment_id INTEGER NOT NULL, name TEXT NOT NULL, digest TEXT NOT NULL,
      source_type TEXT NOT NULL, source TEXT NOT NULL, schema TEXT, profile TEXT,
      UNIQUE (experiment_id, name, digest))`).execute(db);
    await sql.raw(`CREATE TABLE run_inputs (
      id INTEGER PRIMARY KEY, run_uuid TEXT NOT NULL, dataset_id INTEGER NOT NULL,
      UNIQUE (run_uuid, dataset_id))`).execute(db);
    await sql.raw('CREATE INDEX run_inputs_dataset ON run_inputs (dataset_id)').execute(db);
    await sql.raw(`CREATE TABLE run_input_tags (
      input_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
      PRIMARY KEY (input_id, key)) WITHOUT ROWID`).execute(db);
  },
};

// MLflow 3's logged models: a model of an experiment (often produced by a run), its params,
// tags and the metrics logged against it; a run's outputs (models it produced) and its model
// inputs. Also indexes for `dataset.name` and `dataset.context` filters across experiments.
sqliteMigrations['0007_logged_models'] = {
  async up(db: Kysely<unknown>) {
    await sql.raw(`CREATE TABLE logged_models (
      model_id TEXT PRIMARY KEY, experiment_id INTEGER NOT NULL, name TEXT NOT NULL, model_type TEXT NOT NULL,
      source_run_id TEXT, status TEXT NOT NULL, artifact_uri TEXT NOT NULL, lifecycle_stage TEXT NOT NULL,
      creation_time INTEGER NOT NULL, last_updated_time INTEGER NOT NULL)`).execute(db);
    await sql.raw('CREATE INDEX logged_models_experiment ON logged_models (experiment_id, creation_time)').execute(db);
    await sql.raw('CREATE INDEX logged_models_source_run ON logged_models (source_run_id)').execute(db);
    await sql.raw(`CREATE TABLE logged_model_params (
      model_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (model_id, key)) WITHOUT ROWID`).execute(db);
    await sql.raw(`CREATE TABLE logged_model_tags (
      model_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (model_id, key)) WITHOUT ROWID`).execute(db);
    await sql.raw(`CREATE TABLE logged_model_metrics (
      id INTEGER PRIMARY KEY, model_id TEXT NOT NULL, run_uuid TEXT NOT NULL, key TEXT NOT NULL,
      value REAL NOT NULL, is_nan INTEGER NOT NULL, timestamp INTEGER NOT NULL, step INTEGER NOT NULL,
      dataset_name TEXT, dataset_digest TEXT)`).execute(db);
    // A retried batch stores a point once (MLflow's key: model, metric, time, step, run).
    await sql.raw('CREATE UNIQUE INDEX logged_model_metrics_point ON logged_model_metrics (model_id, key, timestamp, step, run_uuid)').execute(db);
    await sql.raw('CREATE INDEX logged_model_metrics_key ON logged_model_metrics (key, model_id)').execute(db);
    await sql.raw(`CREATE TABLE run_outputs (
      run_uuid TEXT NOT NULL, model_id TEXT NOT NULL, step INTEGER NOT NULL, PRIMARY KEY (run_uuid, model_id)) WITHOUT ROWID`).execute(db);
    await sql.raw('CREATE INDEX run_outputs_model ON run_outputs (model_id)').execute(db);
    await sql.raw(`CREATE TABLE run_model_inputs (
      id INTEGER PRIMARY KEY, run_uuid TEXT NOT NULL, model_id TEXT NOT NULL, UNIQUE (run_uuid, model_id))`).execute(db);
    await sql.raw('CREATE INDEX datasets_name ON datasets (name)').execute(db);
    await sql.raw('CREATE INDEX run_input_tags_key_value ON run_input_tags (key, value)').execute(db);
  },
};

// The studio's own paths: the All runs page lists top-level active runs newest first (run id
// as the tie-break), across experiments or within one. Partial on parent_run_id IS NULL, the
// top-level condition the search writes, so a page is a seek in the exact ORDER BY (no sort of
// every run) however many child runs there are.
sqliteMigrations['0008_studio_paths'] = {
  async up(db: Kysely<unknown>) {
    await sql.raw('CREATE INDEX runs_top ON runs (lifecycle_stage, start_time DESC, run_uuid) WHERE parent_run_id IS NULL').execute(db);
    await sql.raw(`CREATE INDEX runs_top_experiment ON runs (experiment_id, lifecycle_stage, start_time DESC, run_uuid)
      WHERE parent_run_id IS NULL`).execute(db);
  },
};

// The run-event stream and the shared log store. `run_events` is the stream's source of truth:
// ids are global (one sequence across replicas), so a page resumes with Last-Event-ID on any
// replica; old events are pruned. `log_segments` orders the byte ranges of logs kept in an
// object store (S3): a log is the concatenation of its segments by offset, each a range of one
// immutable object, so appends from any replica agree on one order.
sqliteMigrations['0009_run_events'] = {
  async up(db: Kysely<unknown>) {
    await sql.raw(`CREATE TABLE run_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      time BIGINT NOT NULL,
      kind TEXT NOT NULL,
      run_uuid TEXT,
      experiment_id TEXT,
      data TEXT NOT NULL
    )`).execute(db);
    await sql.raw('CREATE INDEX run_events_time ON run_events (time)').execute(db);
    await sql.raw(`CREATE TABLE log_segments (
      run_uuid TEXT NOT NULL,
      name TEXT NOT NULL,
      start_offset BIGINT NOT NULL,
      length BIGINT NOT NULL,
      object_key TEXT NOT NULL,
      object_offset BIGINT NOT NULL,
      PRIMARY KEY (run_uuid, name, start_offset)
    )`).execute(db);
  },
};

// The studio's suggestions walk the distinct values of an index, one seek per value, instead
// of reading every run in scope on each keystroke: submitters here; params and tags already
// have their (key, value) indexes.
sqliteMigrations['0010_suggestions'] = {
  async up(db: Kysely<unknown>) {
    await sql.raw('CREATE INDEX runs_user ON runs (user_id)').execute(db);
    await sql.raw('CREATE INDEX runs_experiment_user ON runs (experiment_id, user_id)').execute(db);
  },
};

// Experiment names left each run's search text (they are matched through the run's
// experiment, so a rename writes one row): rebuild the text of the runs stored before.
sqliteMigrations['0011_search_text_without_experiment'] = {
  async up(db: Kysely<unknown>) {
    await (db as Kysely<Database>).transaction().execute((trx) => rebuildAllSearchText(trx, 'sqlite'));
  },
};

// Teams: users with roles, their API tokens and sign-in sessions (tokens and sessions are
// stored as SHA-256 hashes: a copy of the database signs nobody in), a run's activity, and
// the server's own secret (CSRF tokens), shared by every replica.
sqliteMigrations['0013_teams'] = {
  async up(db: Kysely<unknown>) {
    await teamsTables(db, 'INTEGER PRIMARY KEY AUTOINCREMENT');
  },
};

// Notification rules, their outbox of events and deliveries, and when each run last showed life.
sqliteMigrations['0014_notifications'] = {
  async up(db: Kysely<unknown>) {
    await notificationTables(db, 'INTEGER PRIMARY KEY AUTOINCREMENT');
  },
};
