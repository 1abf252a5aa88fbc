import { FilterSyntaxError, tokenize, type Token } from './tokens.js';

/** Which fields a filter may name: MLflow's entity types, and per entity the attribute keys. */
export type Entity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

export type Comparator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'LIKE'
  | 'ILIKE'
  | 'IN'
  | 'NOT IN'
  | 'IS NULL'
  | 'IS NOT NULL';

/** What `datasets.<key>` may name: a run input's dataset name or digest, or its `mlflow.data.context` input tag. */
export const datasetKeys = ['name', 'digest', 'context'] as const;
export type DatasetKey = (typeof datasetKeys)[number];

/** MLflow's comparators for a dataset clause: strings only, and no IS NULL. */
export type DatasetComparator = '=' | '!=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

export type DatasetClause = { entity: 'dataset'; key: DatasetKey; comparator: DatasetComparator; value: string | string[] };

export type Clause =
  | { entity: 'metric'; key: string; comparator: Comparator; value: number | null }
  | { entity: 'param' | 'tag'; key: string; comparator: Comparator; value: string | string[] | null }
  | { entity: 'attribute'; key: string; comparator: Comparator; value: number | string | string[] | null }
  | DatasetClause;

/**
 * Bounds on what one search may ask, so no filter can tie up the server (each is a 400 past
 * it). The length bound also bounds an IN list: 10,000 characters hold at most 3,334 values.
 */
export const searchLimits = {
  filterLength: 10_000,
  clauses: 200,
  orderByKeys: 10,
  orderByLength: 1_000,
  experimentIds: 1_000,
} as const;

export interface OrderBy {
  /** Runs are never ordered by a dataset: a run may have several. */
  entity: Exclude<Entity, 'dataset'>;
  key: string;
  ascending: boolean;
}

/** The attribute keys of one searchable thing (runs, experiments), with aliases. */
export interface AttributeSpec {
  numeric: ReadonlySet<string>;
  string: ReadonlySet<string>;
  aliases: Readonly<Record<string, string>>;
  /** Entities other than `attribute` that this thing has. */
  entities: ReadonlySet<Entity>;
  orderable: ReadonlySet<string>;
}

export const runAttributes: AttributeSpec = {
  numeric: new Set(['start_time', 'end_time']),
  string: new Set(['run_id', 'run_name', 'status', 'user_id', 'artifact_uri', 'lifecycle_stage']),
  aliases: { created: 'start_time', Created: 'start_time', 'run name': 'run_name', 'Run name': 'run_name', 'Run Name': 'run_name', run_uuid: 'run_id' },
  entities: new Set(['metric', 'param', 'tag', 'attribute', 'dataset']),
  orderable: new Set(['start_time', 'end_time', 'run_name', 'status', 'user_id', 'run_id', 'experiment_id', 'artifact_uri', 'lifecycle_stage']),
};

export const experimentAttributes: AttributeSpec = {
  numeric: new Set(['creation_time', 'last_update_time', 'experiment_id']),
  string: new Set(['name']),
  aliases: {},
  entities: new Set(['tag', 'attribute']),
  orderable: new Set(['name', 'experiment_id', 'creation_time', 'last_update_time']),
};

const entityNames: Record<string, Entity> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};

const numericComparators = new Set<Comparator>(['=', '!=', '<', '<=', '>', '>=', 'IS NULL', 'IS NOT NULL']);
const stringComparators = new Set<Comparator>(['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN', 'IS NULL', 'IS NOT NULL']);
const datasetComparators = new Set<Comparator>(['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN']);

/** How an entity is spelled in a filter, for error messages. */
const entityPrefixes: Record<Entity, string> = { metric: 'metrics', param: 'params', tag: 'tags', attribute: 'attributes', dataset: 'datasets' };

function validEntities(spec: AttributeSpec): string {
  return [...spec.entities].map((e) => entityPrefixes[e]).join(', ');
}

class Cursor {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    readonly source: string,
  ) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.index + offset];
  }
  next(): Token | undefined {
    const token = this.tokens[this.index];
    this.index += 1;
    return token;
  }
  done(): boolean {
    return this.index >= this.tokens.length;
  }
  where(token: Token | undefined): string {
    return token ? `at position ${token.pos}` : 'at the end of the filter';
  }
}

function isWord(token: Token | undefined, word: string): boolean {
  return token?.kind === 'ident' && token.text.toUpperCase() === word;
}

/** Parses an identifier such as `metrics.loss`, ``tags.`my tag` ``, `status`, `params."a b"`. */
function parseIdentifier(cursor: Cursor, spec: AttributeSpec): { entity: Entity; key: string } {
  const first = cursor.next();
  if (!first || (first.kind !== 'ident' && first.kind !== 'quoted')) {
    throw new FilterSyntaxError(`expected a field name such as metrics.loss ${cursor.where(first)}`);
  }
  const parts = [first.text];
  while (cursor.peek()?.kind === 'punct' && cursor.peek()?.text === '.') {
    cursor.next();
    const part = cursor.next();
    if (!part || part.kind === 'op' || part.kind === 'punct' || part.kind === 'string') {
      throw new FilterSyntaxError(`expected a key after '.' ${cursor.where(part)}`);
    }
    parts.push(part.text);
    if (part.kind === 'quoted') break;
  }
  let entityName: string;
  let key: string;
  if (parts.length === 1) {
    entityName = 'attribute';
    key = parts[0]!;
  } else {
    entityName = parts[0]!;
    key = parts.slice(1).join('.');
  }
  const entity = entityNames[entityName] ?? entityNames[entityName.toLowerCase()];
  if (entity === undefined) {
    throw new FilterSyntaxError(
      `invalid entity type '${entityName}' ${cursor.where(first)}; valid values are ${validEntities(spec)}`,
    );
  }
  if (!spec.entities.has(entity)) {
    throw new FilterSyntaxError(`'${entityName}' cannot be used here; valid values are ${validEntities(spec)}`);
  }
  if (key === '') throw new FilterSyntaxError(`empty key after '${entityName}.'`);
  if (entity === 'attribute') key = spec.aliases[key] ?? key;
  return { entity, key };
}

function parseComparator(cursor: Cursor): Comparator {
  const token = cursor.next();
  if (token?.kind === 'op') return token.text as Comparator;
  if (isWord(token, 'LIKE')) return 'LIKE';
  if (isWord(token, 'ILIKE')) return 'ILIKE';
  if (isWord(token, 'IN')) return 'IN';
  if (isWord(token, 'NOT')) {
    if (isWord(cursor.next(), 'IN')) return 'NOT IN';
    throw new FilterSyntaxError(`expected IN after NOT ${cursor.where(token)}`);
  }
  if (isWord(token, 'IS')) {
    if (isWord(cursor.peek(), 'NOT')) {
      cursor.next();
      if (isWord(cursor.next(), 'NULL')) return 'IS NOT NULL';
    } else if (isWord(cursor.next(), 'NULL')) {
      return 'IS NULL';
    }
    throw new FilterSyntaxError(`expected NULL or NOT NULL after IS ${cursor.where(token)}`);
  }
  throw new FilterSyntaxError(
    `expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) ${cursor.where(token)}`,
  );
}

function parseStringValue(cursor: Cursor, field: string): string {
  const token = cursor.next();
  if (token?.kind === 'string' || (token?.kind === 'quoted' && token.quote === '"')) {
    // No stored text holds NUL (PostgreSQL's text cannot): a value with one is a mistake, not a search.
    if (token.text.includes('\u0000')) throw new FilterSyntaxError(`the value for ${field} contains a NUL character ${cursor.where(token)}`);
    return token.text;
  }
  throw new FilterSyntaxError(
    `expected a quoted string value for ${field} (e.g. 'my-value') ${cursor.where(token)}${token ? `, got ${token.text}` : ''}`,
  );
}

function parseNumberValue(cursor: Cursor, field: string): number {
  const token = cursor.next();
  if (token?.kind === 'number') return Number(token.text);
  throw new FilterSyntaxError(
    `expected a numeric value for ${field} ${cursor.where(token)}${token ? `, got ${token.text}` : ''}`,
  );
}

function parseList(cursor: Cursor, field: string): string[] {
  const open = cursor.next();
  if (open?.kind !== 'punct' || open.text !== '(') {
    throw new FilterSyntaxError(`expected '(' after IN for ${field} ${cursor.where(open)}`);
  }
  const values: string[] = [];
  for (;;) {
    values.push(parseStringValue(cursor, field));
    const sep = cursor.next();
    if (sep?.kind === 'punct' && sep.text === ')') return values;
    if (sep?.kind !== 'punct' || sep.text !== ',') {
      throw new FilterSyntaxError(`expected ',' or ')' in the list for ${field} ${cursor.where(sep)}`);
    }
  }
}

function isDatasetKey(key: string): key is DatasetKey {
  return (datasetKeys as readonly string[]).includes(key);
}

function isDatasetComparator(comparator: Comparator): comparator is DatasetComparator {
  return datasetComparators.has(comparator);
}

/** The rest of a `datasets.<key> <op> <value>` clause, after its identifier. */
function parseDatasetClause(cursor: Cursor, key: string): DatasetClause {
  if (!isDatasetKey(key)) {
    throw new FilterSyntaxError(`invalid dataset key '${key}'; valid keys are ${datasetKeys.join(', ')}`);
  }
  const field = `dataset '${key}'`;
  const comparator = parseComparator(cursor);
  if (!isDatasetComparator(comparator)) {
    throw new FilterSyntaxError(`invalid comparator '${comparator}' for ${field}; use one of ${[...datasetComparators].join(', ')}`);
  }
  if (comparator === 'IN' || comparator === 'NOT IN') {
    return { entity: 'dataset', key, comparator, value: parseList(cursor, field) };
  }
  const value = parseStringValue(cursor, field);
  if (comparator === 'LIKE' || comparator === 'ILIKE') checkLikePattern(value, field);
  return { entity: 'dataset', key, comparator, value };
}

/** `\` escapes the next character of a LIKE pattern (`\%` is a percent sign): one cannot end it (the database would refuse the query). */
function checkLikePattern(pattern: string, field: string): void {
  const trailing = /\\*$/.exec(pattern)![0].length;
  if (trailing % 2 === 1) throw new FilterSyntaxError(`the LIKE pattern for ${field} ends with the escape character \\: write \\\\ for a backslash`);
}

function parseClause(cursor: Cursor, spec: AttributeSpec): Clause {
  const { entity, key } = parseIdentifier(cursor, spec);
  if (entity === 'dataset') return parseDatasetClause(cursor, key);
  const field = entity === 'attribute' ? `attribute '${key}'` : `${entity} '${key}'`;
  const numeric = entity === 'metric' || (entity === 'attribute' && spec.numeric.has(key));
  if (entity === 'attribute' && !spec.numeric.has(key) && !spec.string.has(key)) {
    throw new FilterSyntaxError(
      `invalid attribute key '${key}'; valid keys are ${[...spec.numeric, ...spec.string].join(', ')}`,
    );
  }
  const comparator = parseComparator(cursor);
  const allowed = numeric ? numericComparators : stringComparators;
  if (!allowed.has(comparator)) {
    throw new FilterSyntaxError(`invalid comparator '${comparator}' for ${field}; use one of ${[...allowed].join(', ')}`);
  }
  if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') {
    return { entity, key, comparator, value: null };
  }
  if (comparator === 'IN' || comparator === 'NOT IN') {
    return { entity, key, comparator, value: parseList(cursor, field) } as Clause;
  }
  const value = numeric ? parseNumberValue(cursor, field) : parseStringValue(cursor, field);
  if ((comparator === 'LIKE' || comparator === 'ILIKE') && typeof value === 'string') checkLikePattern(value, field);
  if (entity === 'attribute' && typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new FilterSyntaxError(`expected an integer (milliseconds) for ${field}, got ${value}`);
  }
  return { entity, key, comparator, value } as Clause;
}

/**
 * Parses MLflow's search filter (`metrics.loss < 0.5 and params.lr = '0.01'`) into clauses
 * joined by AND. Throws FilterSyntaxError with a message that says what is wrong and where.
 */
export function parseFilter(text: string | undefined, spec: AttributeSpec = runAttributes): Clause[] {
  if (text === undefined || text.trim() === '') return [];
  if (text.length > searchLimits.filterLength) {
    throw new FilterSyntaxError(`it has ${text.length.toLocaleString('en-US')} characters; the limit is ${searchLimits.filterLength.toLocaleString('en-US')}`);
  }
  const cursor = new Cursor(tokenize(text), text);
  const clauses: Clause[] = [parseClause(cursor, spec)];
  while (!cursor.done()) {
    const conj = cursor.next();
    if (isWord(conj, 'OR')) throw new FilterSyntaxError(`OR is not supported ${cursor.where(conj)}; join clauses with AND`);
    if (!isWord(conj, 'AND')) throw new FilterSyntaxError(`expected AND ${cursor.where(conj)}, got '${conj?.text}'`);
    if (clauses.length === searchLimits.clauses) throw new FilterSyntaxError(`it has more than ${searchLimits.clauses} clauses (the limit)`);
    clauses.push(parseClause(cursor, spec));
  }
  return clauses;
}

/** Parses one `order_by` item: `metrics.loss DESC`, `attributes.start_time`, `params.lr ASC`. */
export function parseOrderBy(text: string, spec: AttributeSpec = runAttributes): OrderBy {
  if (text.length > searchLimits.orderByLength) {
    throw new FilterSyntaxError(`it has ${text.length.toLocaleString('en-US')} characters; the limit is ${searchLimits.orderByLength.toLocaleString('en-US')}`);
  }
  const cursor = new Cursor(tokenize(text), text);
  const { entity, key } = parseIdentifier(cursor, spec);
  if (entity === 'dataset') {
    throw new FilterSyntaxError(`cannot order by '${text}': runs are not ordered by datasets; order by metrics, params, tags or attributes`);
  }
  if (entity === 'attribute' && !spec.orderable.has(key)) {
    throw new FilterSyntaxError(`invalid order_by attribute '${key}'; valid keys are ${[...spec.orderable].join(', ')}`);
  }
  let ascending = true;
  const dir = cursor.next();
  if (isWord(dir, 'DESC')) ascending = false;
  else if (dir !== undefined && !isWord(dir, 'ASC')) {
    throw new FilterSyntaxError(`invalid order_by clause '${text}': expected ASC or DESC ${cursor.where(dir)}`);
  }
  if (!cursor.done()) throw new FilterSyntaxError(`invalid order_by clause '${text}': unexpected text ${cursor.where(cursor.peek())}`);
  return { entity, key, ascending };
}

export { FilterSyntaxError };
