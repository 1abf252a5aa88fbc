import type { SearchLoggedModelsRequest } from '../../shared/mlflow/logged-models.js';
import type { StudioSearchRunsRequest } from '../../shared/studio/runs.js';
import type { MetricSeriesRequest } from '../../shared/studio/metrics.js';

/**
 * Every query key of the app: one tree per resource (TanStack's key factories), so an
 * invalidation names a branch and reaches every query below it. Nobody types a key by hand.
 *
 * runs ─ lists ─ list(request) · children(run, order) · compare(ids)
 *      ├ details ─ detail(id) ─ control · has-children · ancestors · tree · logs ─ … · artifacts ─ … · activity
 *      ├ series(request) · keys(experiments) · key-values(…)
 */
export const runKeys = {
  all: ['runs'] as const,
  /** Every cached list of runs: the explorer's pages, expanded children, the compare page. Live updates patch these. */
  lists: () => [...runKeys.all, 'list'] as const,
  list: (request: StudioSearchRunsRequest) => [...runKeys.lists(), request] as const,
  children: (runId: string, orderBy: string[]) => [...runKeys.lists(), 'children', runId, orderBy] as const,
  compare: (runIds: string[]) => [...runKeys.lists(), 'compare', runIds] as const,
  details: () => [...runKeys.all, 'detail'] as const,
  /** One run (MLflow's shape); everything the run page reads about it sits below. */
  detail: (runId: string) => [...runKeys.details(), runId] as const,
  control: (runId: string) => [...runKeys.detail(runId), 'control'] as const,
  hasChildren: (runId: string) => [...runKeys.detail(runId), 'has-children'] as const,
  ancestors: (runId: string) => [...runKeys.detail(runId), 'ancestors'] as const,
  tree: (runId: string) => [...runKeys.detail(runId), 'tree'] as const,
  logs: (runId: string) => [...runKeys.detail(runId), 'logs'] as const,
  logLines: (runId: string, name: string, start: number, count: number) => [...runKeys.logs(runId), name, 'lines', start, count] as const,
  logSearch: (runId: string, name: string, q: string) => [...runKeys.logs(runId), name, 'search', q] as const,
  artifacts: (runId: string, path: string) => [...runKeys.detail(runId), 'artifacts', path] as const,
  artifactFile: (runId: string, path: string) => [...runKeys.detail(runId), 'artifact-file', path] as const,
  /** Who changed the run's name, description, tags or status (team mode records the user). */
  activity: (runId: string) => [...runKeys.detail(runId), 'activity'] as const,
  /** Metric series of any runs (charts, the compare page). */
  series: (request: MetricSeriesRequest) => [...runKeys.all, 'series', request] as const,
  /** Metric, param and tag names in scope (column picker, filters). */
  keyLists: () => [...runKeys.all, 'keys'] as const,
  keys: (experimentIds: string[]) => [...runKeys.keyLists(), experimentIds] as const,
  keyValues: (entity: string, key: string, prefix: string, experimentIds: string[]) => [...runKeys.all, 'key-values', entity, key, prefix, experimentIds] as const,
};

export const experimentKeys = {
  all: ['experiments'] as const,
  lists: () => [...experimentKeys.all, 'list'] as const,
  details: () => [...experimentKeys.all, 'detail'] as const,
  detail: (experimentId: string) => [...experimentKeys.details(), experimentId] as const,
};

export const viewKeys = {
  all: ['views'] as const,
  lists: () => [...viewKeys.all, 'list'] as const,
  details: () => [...viewKeys.all, 'detail'] as const,
  detail: (viewId: string) => [...viewKeys.details(), viewId] as const,
};

/**
 * Logged models (MLflow 3): searches by experiment or source run, one model, a directory of
 * its artifacts.
 *
 * models ─ lists ─ list(request) · details ─ detail(id) ─ artifacts(path) · artifact-text(path)
 */
export const modelKeys = {
  all: ['models'] as const,
  lists: () => [...modelKeys.all, 'list'] as const,
  list: (request: SearchLoggedModelsRequest) => [...modelKeys.lists(), request] as const,
  details: () => [...modelKeys.all, 'detail'] as const,
  detail: (modelId: string) => [...modelKeys.details(), modelId] as const,
  artifacts: (modelId: string, path: string) => [...modelKeys.detail(modelId), 'artifacts', path] as const,
  artifactText: (modelId: string, path: string) => [...modelKeys.detail(modelId), 'artifact-text', path] as const,
};

/**
 * Team mode: users (the admin page) and API tokens (an admin's view of everyone's, and
 * each user's own on their account page).
 *
 * users ─ lists · tokens ─ lists ─ list(all)
 */
export const userKeys = {
  all: ['users'] as const,
  lists: () => [...userKeys.all, 'list'] as const,
};

export const tokenKeys = {
  all: ['tokens'] as const,
  lists: () => [...tokenKeys.all, 'list'] as const,
  /** `all`: every user's tokens (admins); otherwise the caller's own. */
  list: (all: boolean) => [...tokenKeys.lists(), { all }] as const,
};
