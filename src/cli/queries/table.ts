/** Rows of text cells, printed as an aligned table (`--output table`) or as TSV. */
export interface Table {
  /** Null: no header row (key/value pairs, one value per line). */
  headers: string[] | null;
  rows: string[][];
  /** Columns never truncated (ids, statuses, times: a cut one is useless). */
  fixed: boolean[];
}

const GAP = 2;
/** A flexible column is never cut below this (or its natural width, when smaller). */
const MIN_WIDTH = 8;

/** Aligned columns that fit `width` characters: the widest flexible columns are cut with "…". */
export function renderTable(table: Table, width: number): string {
  const lines = table.headers ? [table.headers, ...table.rows] : table.rows;
  if (lines.length === 0) return '';
  const cells = lines.map((line) => line.map(oneLine));
  const widths = fitWidths(naturalWidths(cells), table.fixed, width);
  return cells
    .map((line) =>
      line
        .map((cell, i) => pad(truncate(cell, widths[i]!), i === line.length - 1 ? 0 : widths[i]! + GAP))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

/** Tab-separated, nothing cut; tabs and line breaks inside a cell are escaped (\t, \n, \r). */
export function renderTsv(table: Table): string {
  const lines = table.headers ? [table.headers, ...table.rows] : table.rows;
  return lines.map((line) => line.map(escapeTsv).join('\t')).join('\n');
}

function naturalWidths(cells: string[][]): number[] {
  const widths: number[] = [];
  for (const line of cells) line.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, length(cell))));
  return widths;
}

/** Lowers a common cap on the flexible columns until the line fits (or every one is at its minimum). */
export function fitWidths(natural: number[], fixed: boolean[], width: number): number[] {
  const available = width - GAP * (natural.length - 1);
  const minimum = natural.map((w, i) => (fixed[i] ? w : Math.min(w, MIN_WIDTH)));
  const at = (cap: number) => natural.map((w, i) => (fixed[i] ? w : Math.max(minimum[i]!, Math.min(w, cap))));
  const sum = (ws: number[]) => ws.reduce((a, b) => a + b, 0);
  let cap = Math.max(0, ...natural);
  while (cap > MIN_WIDTH && sum(at(cap)) > available) cap--;
  return at(cap);
}

// Widths count code points, so an emoji or accented name is not split in half.
function length(text: string): number {
  return [...text].length;
}

function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - length(text)));
}

function oneLine(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

function escapeTsv(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
