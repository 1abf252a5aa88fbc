import { z } from 'zod';
import type { StudioSearchRunsRequest } from './runs.js';

/**
 * The run explorer's whole state. It lives in the URL (so a link reproduces the table)
 * and, later, in saved views. Every field is optional; `explorerDefaults` fills the gaps.
 *
 * - q: full-text search text
 * - filters: chips from "Add filter", ANDed (`dataset` filters on a dataset input's name)
 * - filter: the advanced filter text, MLflow's grammar, ANDed with the chips
 * - sort / desc: the column sorted on the server
 * - cols: visible columns, in order (ids from `columnIds`)
 * - widths: column widths in pixels, by column id
 * - flat: every run in one flat list instead of top-level runs with expandable children
 * - charts: the chart panels above the table
 */
export const filterFields = ['tag', 'param', 'metric', 'status', 'experiment', 'compute', 'submitter', 'created', 'dataset'] as const;
export type FilterField = (typeof filterFields)[number];

export const filterOps = ['=', '!=', '<', '<=', '>', '>=', 'contains', 'exists'] as const;
export type FilterOp = (typeof filterOps)[number];

export const filterChip = z.object({
  field: z.enum(filterFields),
  key: z.string().max(250).optional(),
  op: z.enum(filterOps),
  value: z.string().max(1000).default(''),
});
export type FilterChip = z.infer<typeof filterChip>;

export const chartKinds = ['line', 'bar', 'scatter', 'parallel'] as const;
export type ChartKind = (typeof chartKinds)[number];

/**
 * One chart panel above the run table. Which fields matter depends on `kind`:
 * line (metric over step, wall time or relative time; log scale), bar (a metric's last,
 * min or max per run), scatter (x and y: `param:<key>` or `metric:<key>`), parallel
 * coordinates (`axes`). `runs` is how many of the table's first rows are plotted when no
 * run is selected.
 *
 * Where state lives: what a panel shows is shared (URL and saved views). Smoothing and the
 * panel's size are one person's taste on one screen, so they are per-device preferences
 * (src/web/lib/preferences.ts), not fields here. Links and views from before still parse:
 * their `smoothing` and `size` are unknown keys, which zod strips.
 */
export const chartPanel = z.object({
  id: z.string().min(1).max(40),
  kind: z.enum(chartKinds),
  metric: z.string().max(250).optional(),
  xAxis: z.enum(['step', 'time', 'relative']).optional(),
  logScale: z.boolean().optional(),
  aggregate: z.enum(['last', 'min', 'max']).optional(),
  x: z.string().max(260).optional(),
  y: z.string().max(260).optional(),
  axes: z.array(z.string().max(260)).max(12).optional(),
  runs: z.number().int().min(1).max(50).optional(),
});
export type ChartPanel = z.infer<typeof chartPanel>;

/** Runs a selection holds at most (Compare shows them side by side). */
export const MAX_SELECTED = 50;

export const explorerState = z.object({
  q: z.string().max(500).optional(),
  filters: z.array(filterChip).max(30).optional(),
  filter: z.string().max(10_000).optional(),
  sort: z.string().max(300).optional(),
  desc: z.boolean().optional(),
  cols: z.array(z.string().max(300)).max(100).optional(),
  widths: z
    .record(z.string().max(300), z.number().int().min(40).max(2000))
    .refine((widths) => Object.keys(widths).length <= 200, 'at most 200 column widths')
    .optional(),
  flat: z.boolean().optional(),
  charts: z.array(chartPanel).max(12).optional(),
  /** The saved view this state was opened from (the URL's `?view=ID`; not saved in views). */
  view: z.string().regex(/^[\w-]{1,40}$/).optional(),
  /** Selected runs (for Compare and the charts), so a link reproduces a selection; not saved in views. */
  sel: z
    .preprocess(
      // A link with one garbled id keeps the others.
      (ids) => (Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string' && /^[0-9a-f]{32}$/.test(id)).slice(-MAX_SELECTED) : ids),
      z.array(z.string()).max(MAX_SELECTED),
    )
    .optional(),
});
export type ExplorerState = z.infer<typeof explorerState>;

export const defaultColumns = ['name', 'status', 'experiment', 'user', 'compute', 'created', 'duration', 'tags'] as const;

export const explorerDefaults = {
  q: '',
  filters: [] as FilterChip[],
  filter: '',
  sort: 'created',
  desc: true,
  cols: [...defaultColumns] as string[],
  widths: {} as Record<string, number>,
  flat: false,
  charts: [] as ChartPanel[],
  sel: [] as string[],
};

/** The part of a state a view saves and compares: no view id or selection, no value equal to its default. */
export function viewableState(state: ExplorerState): ExplorerState {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) {
    if (key === 'view' || key === 'sel' || value === undefined) continue;
    const fallback = (explorerDefaults as Record<string, unknown>)[key];
    if (JSON.stringify(value) === JSON.stringify(fallback)) continue;
    out[key] = value;
  }
  return out;
}

/** Whether two states show the same table and charts. */
export function sameView(a: ExplorerState, b: ExplorerState): boolean {
  const stable = (s: ExplorerState) => JSON.stringify(viewableState(s), (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v));
  return stable(a) === stable(b);
}

/** A URL's search params, repaired: what does not parse falls back to the defaults. */
export function parseExplorerState(raw: unknown): ExplorerState {
  const result = explorerState.safeParse(raw);
  if (result.success) return result.data;
  const partial: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(explorerState.shape)) {
    const value = (raw as Record<string, unknown> | null)?.[key];
    const field = (schema as z.ZodType).safeParse(value);
    if (field.success && field.data !== undefined) partial[key] = field.data;
  }
  return partial;
}

/** Quotes a key for MLflow's grammar (backticks; a backtick is doubled). */
export const quoteKey = (key: string) => `\`${key.replaceAll('`', '``')}\``;
/** Quotes a string value for MLflow's grammar (single quotes; a quote is doubled). */
export const quoteValue = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** The server-side order for a column, or null when it cannot be sorted on. */
export function orderByForColumn(column: string): string | null {
  const [kind, ...rest] = column.split(':');
  const key = rest.join(':');
  switch (kind) {
    case 'name':
      return 'attributes.run_name';
    case 'status':
      return 'attributes.status';
    case 'experiment':
      return 'attributes.experiment_id';
    case 'user':
      return 'attributes.user_id';
    case 'created':
      return 'attributes.start_time';
    case 'ended':
      return 'attributes.end_time';
    case 'compute':
      return `tags.${quoteKey('runstudio.compute')}`;
    case 'description':
      return `tags.${quoteKey('mlflow.note.content')}`;
    case 'param':
      return `params.${quoteKey(key)}`;
    case 'metric':
      return `metrics.${quoteKey(key)}`;
    case 'tag':
      return `tags.${quoteKey(key)}`;
    default:
      return null;
  }
}

function chipToClause(chip: FilterChip): string | null {
  const { op, value } = chip;
  const stringClause = (target: string) => {
    if (op === 'exists') return `${target} IS NOT NULL`;
    if (op === 'contains') return `${target} ILIKE ${quoteValue(`%${value}%`)}`;
    return `${target} ${op === '!=' ? '!=' : '='} ${quoteValue(value)}`;
  };
  switch (chip.field) {
    case 'tag':
      return stringClause(`tags.${quoteKey(chip.key ?? '')}`);
    case 'param':
      return stringClause(`params.${quoteKey(chip.key ?? '')}`);
    case 'compute':
      return stringClause(`tags.${quoteKey('runstudio.compute')}`);
    case 'submitter':
      return stringClause('attributes.user_id');
    case 'status':
      return `attributes.status ${op === '!=' ? '!=' : '='} ${quoteValue(value)}`;
    case 'metric':
      if (op === 'exists') return `metrics.${quoteKey(chip.key ?? '')} IS NOT NULL`;
      return `metrics.${quoteKey(chip.key ?? '')} ${op} ${Number(value)}`;
    case 'created': {
      const ms = Date.parse(value);
      return `attributes.start_time ${op === '<' || op === '<=' ? '<' : '>='} ${Number.isNaN(ms) ? 0 : ms}`;
    }
    case 'dataset':
      // A run matches when one of its dataset inputs does (the server's `datasets.name`).
      return stringClause('datasets.name');
    case 'experiment':
      return null;
  }
}

/** The filter text the chips and the advanced box stand for together. */
export function filterText(state: ExplorerState): string {
  const clauses = (state.filters ?? []).map(chipToClause).filter((c): c is string => c !== null);
  if (state.filter?.trim()) clauses.push(state.filter.trim());
  return clauses.join(' AND ');
}

/** Compiles the explorer's state to one studio search request (without page token). */
export function toSearchRequest(state: ExplorerState, scopeExperimentId?: string): StudioSearchRunsRequest {
  const chosen = (state.filters ?? []).filter((f) => f.field === 'experiment').map((f) => f.value);
  const experimentIds = scopeExperimentId ? [scopeExperimentId] : chosen;
  const sort = state.sort ?? explorerDefaults.sort;
  const orderBy = orderByForColumn(sort);
  return {
    q: state.q ?? '',
    filter: filterText(state),
    experimentIds,
    ...(state.flat ? { parentRunId: '*' } : {}),
    orderBy: orderBy ? [`${orderBy} ${(state.desc ?? explorerDefaults.desc) ? 'DESC' : 'ASC'}`] : [],
    pageSize: 200,
  };
}
