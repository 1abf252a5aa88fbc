import type { Generated } from 'kysely';

/** Kysely's view of the tables. These types stay inside store/. */
export interface ExperimentsTable {
  experiment_id: Generated<number>;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
}

export interface KeyValueTable {
  key: string;
  value: string;
}

export interface ExperimentTagsTable extends KeyValueTable {
  experiment_id: number;
}

export interface RunsTable {
  id: Generated<number>;
  run_uuid: string;
  experiment_id: number;
  run_name: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: string;
  artifact_uri: string;
  parent_run_id: string | null;
  deleted_time: number | null;
}

export interface RunKeyValueTable extends KeyValueTable {
  run_uuid: string;
}

export interface MetricPointColumns {
  key: string;
  step: number;
  timestamp: number;
  /** 0 where the value is NaN (SQLite cannot store NaN); `is_nan` tells. */
  value: number;
  is_nan: number;
}

/** Every logged point, keyed by `runs.id` (see the migration). */
export interface MetricsTable extends MetricPointColumns {
  run_id: number;
}

/** The latest point per run and key, for sorting and filtering. */
export interface LatestMetricsTable extends MetricPointColumns {
  run_uuid: string;
}

export interface ViewsTable {
  id: string;
  name: string;
  owner_id: string;
  visibility: string;
  experiment_id: number | null;
  /** JSON of the explorer state, with its schemaVersion. */
  state: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface MetricRollupsTable {
  run_id: number;
  key: string;
  bucket: number;
  n: number;
  min_value: number;
  min_step: number;
  min_ts: number;
  max_value: number;
  max_step: number;
  max_ts: number;
}

/** A run a launcher holds (see run-control.store.ts). */
export interface RunControlTable {
  run_uuid: string;
  host: string;
  pid: number;
  grace_ms: number;
  attached_at: number;
  heartbeat_at: number;
  cancel_requested_at: number | null;
}

/** A dataset logged as a run input: one row per experiment, name and digest (MLflow's `datasets`). */
export interface DatasetsTable {
  id: Generated<number>;
  experiment_id: number;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  /** Null where the client sent none: MLflow then omits the field. */
  schema: string | null;
  profile: string | null;
}

/** A run's use of a dataset (MLflow's `inputs`); `id` keeps the order they were logged in. */
export interface RunInputsTable {
  id: Generated<number>;
  run_uuid: string;
  dataset_id: number;
}

/** Tags of one run input, e.g. `mlflow.data.context` (MLflow's `input_tags`). */
export interface RunInputTagsTable extends KeyValueTable {
  input_id: number;
}

/** A logged model (MLflow 3); `lifecycle_stage` 'deleted' hides it from get and search. */
export interface LoggedModelsTable {
  model_id: string;
  experiment_id: number;
  name: string;
  model_type: string;
  source_run_id: string | null;
  status: string;
  artifact_uri: string;
  lifecycle_stage: string;
  creation_time: number;
  last_updated_time: number;
}

export interface LoggedModelKeyValueTable extends KeyValueTable {
  model_id: string;
}

/** A metric point logged against a model (with `model_id`), kept beside the run's history. */
export interface LoggedModelMetricsTable extends MetricPointColumns {
  id: Generated<number>;
  model_id: string;
  run_uuid: string;
  dataset_name: string | null;
  dataset_digest: string | null;
}

/** A model a run produced (`runs/outputs`). */
export interface RunOutputsTable {
  run_uuid: string;
  model_id: string;
  step: number;
}

/** A model a run used (`runs/log-inputs` with `models`). */
export interface RunModelInputsTable {
  id: Generated<number>;
  run_uuid: string;
  model_id: string;
}

/** One change of a run, for the run-event stream (`data` is the event's JSON). */
export interface RunEventsTable {
  id: Generated<number>;
  time: number;
  kind: string;
  run_uuid: string | null;
  experiment_id: string | null;
  data: string;
}

/** Bytes [start_offset, start_offset + length) of a log, stored at object_offset of an object. */
export interface LogSegmentsTable {
  run_uuid: string;
  name: string;
  start_offset: number;
  length: number;
  object_key: string;
  object_offset: number;
}

/** A person who signs in (team mode); `password_hash` is scrypt's, null for users a proxy signs in. */
export interface UsersTable {
  id: string;
  name: string;
  role: string;
  password_hash: string | null;
  created_at: number;
  /** Where the user's own notifications go (set by an admin); null: none yet. */
  email: string | null;
}

/** An API token: only its SHA-256 `hash` is kept; `prefix` lets its owner recognise it. */
export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  hash: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
}

/** A signed-in browser: `id` is the SHA-256 of its cookie. */
export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

/** Who changed a run (name, description, tags) or ended it by hand, and when. */
export interface RunActivityTable {
  id: Generated<number>;
  run_uuid: string;
  at: number;
  user_name: string;
  action: string;
  detail: string | null;
}

export interface ServerSettingsTable {
  key: string;
  value: string;
}

/** A notification rule; `scope`, `events` and `channel` are JSON, `on_*` mirror `events` for one indexed check. */
export interface NotificationRulesTable {
  id: string;
  name: string;
  owner: string;
  scope: string;
  events: string;
  on_running: number;
  on_finished: number;
  on_failed: number;
  on_killed: number;
  stalled_minutes: number | null;
  channel: string;
  secret: string | null;
  paused: number;
  created_at: number;
  updated_at: number;
}

/** The outbox: one status change (or stall, or test) to tell rules about. */
export interface NotificationEventsTable {
  seq: Generated<number>;
  id: string;
  kind: string;
  run_uuid: string | null;
  from_status: string | null;
  to_status: string | null;
  /** Stalls and tests are for one rule; status changes for every rule they match. */
  rule_id: string | null;
  /** A stall is reported once: `stalled:<rule>:<run>:<last activity>`. */
  dedupe_key: string | null;
  data: string | null;
  at: number;
  fanned_out: Generated<number>;
}

export interface NotificationDeliveriesTable {
  id: string;
  event_id: string;
  rule_id: string;
  state: string;
  attempts: Generated<number>;
  next_attempt_at: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface NotificationStallsTable {
  rule_id: string;
  run_uuid: string;
  since: number;
}

export interface RunLivenessTable {
  run_uuid: string;
  at: number;
}

export interface Database {
  experiments: ExperimentsTable;
  experiment_tags: ExperimentTagsTable;
  runs: RunsTable;
  params: RunKeyValueTable;
  tags: RunKeyValueTable;
  metrics: MetricsTable;
  latest_metrics: LatestMetricsTable;
  views: ViewsTable;
  metric_rollups: MetricRollupsTable;
  run_control: RunControlTable;
  datasets: DatasetsTable;
  run_inputs: RunInputsTable;
  run_input_tags: RunInputTagsTable;
  logged_models: LoggedModelsTable;
  logged_model_params: LoggedModelKeyValueTable;
  logged_model_tags: LoggedModelKeyValueTable;
  logged_model_metrics: LoggedModelMetricsTable;
  run_outputs: RunOutputsTable;
  run_model_inputs: RunModelInputsTable;
  run_events: RunEventsTable;
  log_segments: LogSegmentsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  run_activity: RunActivityTable;
  server_settings: ServerSettingsTable;
  notification_rules: NotificationRulesTable;
  notification_events: NotificationEventsTable;
  notification_deliveries: NotificationDeliveriesTable;
  run_liveness: RunLivenessTable;
  notification_stalls: NotificationStallsTable;
}
