/**
 * The launched process's environment: the launcher's, plus what an MLflow client needs to
 * log into this run (`mlflow.start_run()` resumes MLFLOW_RUN_ID) and unbuffered Python
 * output, so the live log keeps up and nothing is lost when the process is killed. A
 * RUNSTUDIO_TOKEN alone is passed on as MLFLOW_TRACKING_TOKEN, so MLflow clients inside sign in too.
 */
export function childEnv(o: { trackingUri: string; runId: string; experimentId: string }, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    PYTHONUNBUFFERED: '1',
    ...env,
    MLFLOW_TRACKING_URI: o.trackingUri,
    MLFLOW_RUN_ID: o.runId,
    MLFLOW_EXPERIMENT_ID: o.experimentId,
    RUNSTUDIO_URL: o.trackingUri,
    ...(env.RUNSTUDIO_TOKEN && !env.MLFLOW_TRACKING_TOKEN ? { MLFLOW_TRACKING_TOKEN: env.RUNSTUDIO_TOKEN } : {}),
  };
}
