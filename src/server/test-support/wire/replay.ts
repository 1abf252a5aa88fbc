import fs from 'node:fs';
import { expect } from 'vitest';

/** One recorded exchange of mlflow3-client.jsonl (README.md beside this file). */
export interface WireLine {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  content_type?: string;
  request?: unknown;
  status: number;
  response: unknown;
}

export function readWire(): WireLine[] {
  const text = fs.readFileSync(new URL('./mlflow3-client.jsonl', import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as WireLine);
}

/** The recording server's number for the experiment `wire-scenario`. */
export const RECORDED_EXPERIMENT = '5';
/**
 * Made by the script's run before the recording (line 43's search answer shows them): its model
 * 'scorer' and that model's source run. A replay's second pass maps them to its first pass's.
 */
export const EARLIER_RUN = { model: 'm-38cc995c571d45db922c193bf7dc9fc7', run: '978713934d9d47d0865b30ed16f76d42' };

/** Run ids (32 hex) and logged-model ids (`m-` + 32 hex) wherever they appear in a string. */
const HEX_ID = /(?<![0-9a-f])(?:m-)?[0-9a-f]{32}(?![0-9a-f])/g;
const E = RECORDED_EXPERIMENT;
/** The experiment number where it is one: in artifact URIs, proxy paths and the proxy's `path=` query. */
const EXPERIMENT_IN_TEXT = [
  new RegExp(`(mlflow-artifacts:/)${E}(?![0-9])`, 'g'),
  new RegExp(`(/mlflow-artifacts/artifacts/)${E}(?=/)`, 'g'),
  new RegExp(`([?&]path=)${E}(?=%2F|&|$)`, 'g'),
];

/**
 * Recorded id → this server's id, learned as the replay creates things. Maps URL paths, text
 * bodies and JSON (strings anywhere; `experiment_id(s)` values by key, never a bare "5" elsewhere).
 */
export class IdMap {
  private readonly ids = new Map<string, string>();

  /** `unborn`: recorded ids of things no pass has created yet; answers listing them drop them. */
  constructor(
    readonly experiment: string,
    readonly unborn: ReadonlySet<string> = new Set(),
  ) {}

  learn(recorded: string, ours: string): void {
    this.ids.set(recorded, ours);
  }

  get(recorded: string): string {
    const ours = this.ids.get(recorded);
    if (ours === undefined) throw new Error(`recorded id ${recorded} has no counterpart here: the line that creates it did not create it`);
    return ours;
  }

  isUnborn(recorded: string): boolean {
    return this.unborn.has(recorded) && !this.ids.has(recorded);
  }

  mapText(text: string): string {
    const mapped = text.replace(HEX_ID, (id) => this.get(id));
    return EXPERIMENT_IN_TEXT.reduce((s, re) => s.replace(re, `$1${this.experiment}`), mapped);
  }

  mapJson(value: unknown, key?: string): unknown {
    if (typeof value === 'string') {
      return (key === 'experiment_id' || key === 'experiment_ids') && value === E ? this.experiment : this.mapText(value);
    }
    if (Array.isArray(value)) return value.map((item) => this.mapJson(item, key));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.mapJson(v, k)]));
    return value;
  }
}

/** The id a create line's answer introduces: runs/create's run, POST logged-models' model. */
export function createdId(line: WireLine, answer: unknown): string | undefined {
  const pathname = line.path.split('?')[0]!;
  const at = (...keys: string[]) => keys.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), answer);
  const id = pathname.endsWith('/runs/create') ? at('run', 'info', 'run_id') : line.method === 'POST' && pathname.endsWith('/logged-models') ? at('model', 'info', 'model_id') : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** Every number in the request bodies of lines 0..n: what the client itself sent up to line n's answer. */
export function numbersSent(lines: WireLine[], n: number): Set<number> {
  const found = new Set<number>();
  const walk = (v: unknown): void => {
    if (typeof v === 'number') found.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) Object.values(v).forEach(walk);
  };
  lines.slice(0, n + 1).forEach((line) => walk(line.request));
  return found;
}

const TIME_SUFFIXES = ['time', '_time', 'timestamp', 'timestamp_ms', '_ms'];
const isTimeKey = (key: string) => TIME_SUFFIXES.some((suffix) => key.endsWith(suffix));

/**
 * What line n's recorded answer becomes on this server: ids mapped, things not yet born dropped
 * from lists, server-chosen times loosened to "a number", empty lists dropped.
 */
export function expectedAnswer(recorded: unknown, ids: IdMap, sent: ReadonlySet<number>): unknown {
  return looseTimes(runDataByKey(withoutEmptyLists(ids.mapJson(dropUnborn(recorded, ids)))), sent);
}

/** The answer this server gave, under the same rules as the expected one. */
export function actualAnswer(body: unknown): unknown {
  return runDataByKey(withoutEmptyLists(body));
}

/**
 * A run's `data.tags`, `data.params` and `data.metrics` are keyed lists (one entry per key):
 * MLflow's clients read them into dicts, and MLflow's server gives them no order (its SQL has
 * no ORDER BY for them: the recording shows the order they were first written; Runstudio
 * answers by key). So these three lists, of a run only (`run`, `runs[i]`), are compared by key.
 * Every other list, a logged model's tags and params included, keeps its order.
 */
export function runDataByKey(value: unknown): unknown {
  if (!isObject(value)) return value;
  const sortRun = (run: unknown) => {
    if (!isObject(run) || !isObject(run.data)) return run;
    const data = Object.fromEntries(
      Object.entries(run.data).map(([k, v]) => [k, ['tags', 'params', 'metrics'].includes(k) && Array.isArray(v) ? [...v].sort(byKeyField) : v]),
    );
    return { ...run, data };
  };
  if ('run' in value) return { ...value, run: sortRun(value.run) };
  if (Array.isArray(value.runs)) return { ...value, runs: value.runs.map(sortRun) };
  return value;
}

function byKeyField(a: unknown, b: unknown): number {
  const ka = isObject(a) ? String(a.key) : '';
  const kb = isObject(b) ? String(b.key) : '';
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Drops list entries (a logged model or run, by `info.model_id` / `info.run_id`) naming something
 * the recording's server had from an earlier run and this replay has not made yet.
 */
export function dropUnborn(value: unknown, ids: IdMap): unknown {
  if (Array.isArray(value)) {
    return value
      .filter((item) => {
        const info = isObject(item) && isObject(item.info) ? item.info : undefined;
        const id = info?.model_id ?? info?.run_id;
        return !(typeof id === 'string' && ids.isUnborn(id));
      })
      .map((item) => dropUnborn(item, ids));
  }
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dropUnborn(v, ids)]));
  return value;
}

/**
 * proto3 JSON: an empty repeated field may be written `[]` or left out, and MLflow's client reads
 * both the same. MLflow leaves them out; Runstudio writes e.g. a run's `metrics`/`params`/`tags`
 * always. So a key whose value is `[]` counts as absent, on both sides. Only that: `{}`, `""`,
 * `null` and `0` are compared as they are.
 */
export function withoutEmptyLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyLists);
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => [k, withoutEmptyLists(v)]),
    );
  }
  return value;
}

/**
 * A time the server chose (a number under a key ending in time/_time/timestamp/timestamp_ms/_ms)
 * becomes `expect.any(Number)`; one the client sent (in `sent`) must come back exactly.
 */
export function looseTimes(value: unknown, sent: ReadonlySet<number>, key?: string): unknown {
  if (typeof value === 'number' && key !== undefined && isTimeKey(key) && !sent.has(value)) return expect.any(Number);
  if (Array.isArray(value)) return value.map((item) => looseTimes(item, sent));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, looseTimes(v, sent, k)]));
  return value;
}

/** N, for a body recorded as `"<N bytes>"`. */
export function recordedByteCount(body: unknown): number | undefined {
  const match = typeof body === 'string' ? /^<(\d+) bytes>$/.exec(body) : null;
  return match ? Number(match[1]) : undefined;
}

/** N deterministic bytes standing in for a binary body the recording kept only the size of. */
export function patternBytes(n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + 3) % 251));
}

/**
 * The body to send for a recorded request: N pattern bytes for `<N bytes>`, text with ids mapped,
 * or JSON. A text upload recorded parsed (line 35's table) is sent as compact JSON, which is what
 * the client wrote: its recorded listing says 34 bytes, JSON.stringify's length.
 */
export function requestPayload(line: WireLine, ids: IdMap): string | Buffer | undefined {
  if (line.request === undefined) return undefined;
  const bytes = recordedByteCount(line.request);
  if (bytes !== undefined) return patternBytes(bytes);
  if (typeof line.request === 'string') return ids.mapText(line.request);
  return JSON.stringify(ids.mapJson(line.request));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
