import { isRunStatus, statusWords } from '../../shared/run-status.js';

type Item = Record<string, unknown>;

export interface Column {
  header: string;
  cell(item: Item): string;
  /** Never truncated in `--output table`. */
  fixed?: boolean;
}

/** How `table` and `tsv` show one kind of object (a run, an experiment) when a result is a list of them. */
export interface ColumnSet {
  columns: Column[];
  /** The item is one of these (a `--query` may have reshaped it into something else). */
  matches(item: unknown): item is Item;
  /** The item as people read it, for key/value output (`runs show -o table`). */
  humanize(item: Item): Item;
}

export function isPlainObject(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value as one cell: strings as they are, null as empty, objects and arrays as compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const field = (key: string, fixed = false): Column => ({ header: key, cell: (item) => cellText(item[key]), ...(fixed ? { fixed } : {}) });

/** The studio's word for an MLflow status (RUNNING → Running, KILLED → Canceled). */
function statusWord(value: unknown): unknown {
  return typeof value === 'string' && isRunStatus(value) ? statusWords[value] : value;
}

export const runColumns: ColumnSet = {
  columns: [
    // The full id: a table is where people copy it from for `runs show -r`.
    field('run_id', true),
    field('display_name'),
    { header: 'status', cell: (item) => cellText(statusWord(item.status)), fixed: true },
    field('experiment_name'),
    field('start_time', true),
  ],
  matches: (item): item is Item => isPlainObject(item) && typeof item.run_id === 'string' && 'display_name' in item && 'status' in item,
  humanize: (item) => ({ ...item, status: statusWord(item.status) }),
};

export const experimentColumns: ColumnSet = {
  columns: [field('experiment_id', true), field('name'), field('run_count', true), field('last_run_time', true)],
  matches: (item): item is Item => isPlainObject(item) && typeof item.experiment_id === 'string' && 'name' in item && 'run_count' in item,
  humanize: (item) => item,
};
