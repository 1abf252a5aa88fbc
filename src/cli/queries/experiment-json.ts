import type { StudioExperiment } from '../../shared/studio/experiments.js';
import { isoTime } from './run-json.js';

/** An experiment as `runstudio experiments list` prints it: snake_case like a run, times in ISO 8601. */
export interface ExperimentJson {
  experiment_id: string;
  name: string;
  lifecycle_stage: 'active' | 'deleted';
  run_count: number;
  creation_time: string | null;
  last_update_time: string | null;
  /** Start time of its newest run, or null when it has none. */
  last_run_time: string | null;
}

export function toExperimentJson(experiment: StudioExperiment): ExperimentJson {
  return {
    experiment_id: experiment.experimentId,
    name: experiment.name,
    lifecycle_stage: experiment.lifecycleStage,
    run_count: experiment.runCount,
    creation_time: isoTime(experiment.creationTime),
    last_update_time: isoTime(experiment.lastUpdateTime),
    last_run_time: isoTime(experiment.lastRunTime),
  };
}
