import type { KeyValue } from '../../shared/mlflow/types.js';
import { invalidParameter } from '../errors.js';

/** MLflow's limits (mlflow/utils/validation.py), so a run logged here can move to MLflow. */
export const limits = {
  keyLength: 250,
  paramValue: 6000,
  tagValue: 8000,
  description: 65_536,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  runName: 500,
} as const;

const keyPattern = /^[/\w.\- ]*$/;

/** Keys name files in MLflow's file store, so they must be safe relative paths. */
export function checkKey(kind: 'metric' | 'param' | 'tag', key: string): void {
  if (key === '') throw invalidParameter(`Invalid ${kind} name: ''. Names must not be empty.`);
  if (key.length > limits.keyLength) {
    throw invalidParameter(`${kind} key '${key.slice(0, 40)}…' had length ${key.length}, which exceeded length limit of ${limits.keyLength}`);
  }
  if (!keyPattern.test(key)) {
    throw invalidParameter(
      `Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).`,
    );
  }
  if (key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '.')) {
    throw invalidParameter(`Invalid ${kind} name: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such.`);
  }
}

export function checkParam(p: KeyValue): void {
  checkKey('param', p.key);
  if (p.value.length > limits.paramValue) {
    throw invalidParameter(`Param value '${p.value.slice(0, 40)}…' had length ${p.value.length}, which exceeded length limit of ${limits.paramValue}`);
  }
}

export function checkTag(t: KeyValue): void {
  checkKey('tag', t.key);
  const limit = t.key === 'mlflow.note.content' ? limits.description : limits.tagValue;
  if (t.value.length > limit) {
    throw invalidParameter(`Tag value for key '${t.key}' had length ${t.value.length}, which exceeded length limit of ${limit}`);
  }
}

export function checkRunName(name: string): void {
  if (name.length > limits.runName) {
    throw invalidParameter(`run_name had length ${name.length}, which exceeded length limit of ${limits.runName}`);
  }
}

/** A run id as the server issues them; anything else cannot name a run. */
export function isRunId(id: string): boolean {
  return /^[0-9a-f]{32}$/.test(id);
}

/** Params of one batch: a key twice with two values is an error, the same value twice is one. */
export function dedupeParams(params: KeyValue[]): KeyValue[] {
  const byKey = new Map<string, string>();
  for (const p of params) {
    const seen = byKey.get(p.key);
    if (seen !== undefined && seen !== p.value) {
      throw invalidParameter(`Duplicate parameter keys have been submitted: ['${p.key}']. Please ensure the request contains only one param value per param key.`);
    }
    byKey.set(p.key, p.value);
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}
