import jmespath from 'jmespath';
import { CliError, EXIT } from '../api-client.js';
import { cellText, isPlainObject, type ColumnSet } from './columns.js';
import { renderTable, renderTsv, type Table } from './table.js';

export const outputFormats = ['json', 'table', 'tsv'] as const;
export type OutputFormat = (typeof outputFormats)[number];

/** Applies a `--query` JMESPath expression (jmespath.js); a bad expression is a usage error. */
export function applyQuery(value: unknown, query: string | undefined): unknown {
  if (query === undefined) return value;
  try {
    return jmespath.search(value, query);
  } catch (error) {
    throw new CliError(`Invalid --query '${query}': ${(error as Error).message}`, EXIT.usage);
  }
}

/**
 * The text to print for a result. `json`: the value, pretty. `table`/`tsv`: a list of the
 * command's objects in its columns; another list of objects in the union of their keys;
 * an object as key/value lines (nested keys dotted: tags.quality); scalars one per line.
 */
export function formatOutput(value: unknown, format: OutputFormat, columns: ColumnSet, width: number): string {
  if (format === 'json') return JSON.stringify(value ?? null, null, 2);
  const table = toTable(value, columns);
  return format === 'table' ? renderTable(table, width) : renderTsv(table);
}

/** Queries, formats and prints a result to stdout; the table fits the terminal, else $COLUMNS, else 120 columns. */
export function printResult(value: unknown, flags: { query?: string | undefined; output: OutputFormat }, columns: ColumnSet): void {
  const text = formatOutput(applyQuery(value, flags.query), flags.output, columns, terminalWidth());
  if (text !== '') process.stdout.write(`${text}\n`);
}

function toTable(value: unknown, set: ColumnSet): Table {
  if (Array.isArray(value)) {
    if (value.every((item) => set.matches(item))) {
      return { headers: set.columns.map((c) => c.header), rows: value.map((item) => set.columns.map((c) => c.cell(item))), fixed: set.columns.map((c) => c.fixed ?? false) };
    }
    if (value.every(isPlainObject)) {
      const keys = [...new Set(value.flatMap((item) => Object.keys(item)))];
      return { headers: keys, rows: value.map((item) => keys.map((key) => cellText(item[key]))), fixed: keys.map(() => false) };
    }
    return { headers: null, rows: value.map((item) => [cellText(item)]), fixed: [true] };
  }
  if (isPlainObject(value)) {
    return { headers: null, rows: keyValues(set.matches(value) ? set.humanize(value) : value, ''), fixed: [true, false] };
  }
  return { headers: null, rows: value === null || value === undefined ? [] : [[cellText(value)]], fixed: [true] };
}

function keyValues(object: Record<string, unknown>, prefix: string): string[][] {
  return Object.entries(object).flatMap(([key, value]) =>
    isPlainObject(value) && Object.keys(value).length > 0 ? keyValues(value, `${prefix}${key}.`) : [[`${prefix}${key}`, isPlainObject(value) ? '{}' : cellText(value)]],
  );
}

// Piped output has no terminal width: $COLUMNS (when the shell exports it) or 120.
function terminalWidth(): number {
  const fromEnv = Number(process.env.COLUMNS);
  return process.stdout.columns || (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 120);
}
