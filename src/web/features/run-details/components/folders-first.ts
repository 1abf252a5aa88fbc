import type { ArtifactEntry } from '../../../../shared/mlflow/types.js';

/** A listing as a file browser shows it: folders first, each group in the server's (MLflow's byte) order. */
export const foldersFirst = (entries: ArtifactEntry[]): ArtifactEntry[] => [...entries.filter((e) => e.is_dir), ...entries.filter((e) => !e.is_dir)];
