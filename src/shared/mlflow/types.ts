import type { RunStatus } from '../run-status.js';

/** Response shapes of the MLflow REST API, as MLflow's JSON writes them. */
export interface KeyValue {
  key: string;
  value: string;
}

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number;
  last_update_time: number;
  tags: KeyValue[];
}

export interface Metric {
  key: string;
  /** A number, or "NaN" / "Infinity" / "-Infinity". */
  value: number | string;
  timestamp: number;
  step: number;
}

export interface RunInfo {
  run_id: string;
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: RunStatus;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: 'active' | 'deleted';
}

export interface Run {
  info: RunInfo;
  data: { metrics: Metric[]; params: KeyValue[]; tags: KeyValue[] };
  inputs: Record<string, never>;
}
