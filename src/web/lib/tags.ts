/** Tags MLflow and Runstudio set themselves (`mlflow.*`, `runstudio.*`): hidden unless asked for. */
export const isSystemTag = (key: string): boolean => key.startsWith('mlflow.') || key.startsWith('runstudio.');
