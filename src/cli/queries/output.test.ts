import { describe, expect, it } from 'vitest';
import { CliError } from '../api-client.js';
import { experimentColumns, runColumns } from './columns.js';
import { applyQuery, formatOutput } from './output.js';
import { parseTag } from './run-update.command.js';
import { fitWidths, renderTable, renderTsv } from './table.js';

const run = (id: string, name: string) => ({ run_id: id, display_name: name, status: 'KILLED', experiment_name: 'vision', start_time: '2024-01-01T00:00:00.000Z', tags: { a: '' } });

describe('table and tsv output', () => {
  it('cuts the widest flexible columns with … to fit, never the fixed ones', () => {
    expect(fitWidths([32, 100, 9, 40, 24], [true, false, true, false, true], 120)).toEqual([32, 23, 9, 23, 24]);
    // Too narrow for even the minimums: flexible columns stop at 8, fixed ones stay whole.
    expect(fitWidths([32, 100, 24], [true, false, true], 40)).toEqual([32, 8, 24]);
    const text = renderTable({ headers: ['id', 'name'], rows: [['1', 'é'.repeat(30)]], fixed: [true, false] }, 20);
    expect(text).toBe(`id  name\n1   ${'é'.repeat(15)}…`);
  });

  it('puts one line per cell: line breaks become spaces in a table and \\n in TSV', () => {
    const table = { headers: ['k', 'v'], rows: [['a\tb', 'line 1\nline 2\\']], fixed: [false, false] };
    expect(renderTable(table, 120)).toBe('k    v\na b  line 1 line 2\\');
    expect(renderTsv(table)).toBe('k\tv\na\\tb\tline 1\\nline 2\\\\');
  });

  it('prints runs in their columns with the studio’s status words, other shapes sensibly', () => {
    const runs = [run('r1', 'first'), run('r2', 'second')];
    expect(formatOutput(runs, 'tsv', runColumns, 120)).toBe(
      'run_id\tdisplay_name\tstatus\texperiment_name\tstart_time\nr1\tfirst\tCanceled\tvision\t2024-01-01T00:00:00.000Z\nr2\tsecond\tCanceled\tvision\t2024-01-01T00:00:00.000Z',
    );
    expect(formatOutput([], 'tsv', runColumns, 120)).toBe('run_id\tdisplay_name\tstatus\texperiment_name\tstart_time');
    expect(formatOutput(runs[0], 'tsv', runColumns, 120)).toContain('status\tCanceled\n');
    expect(formatOutput(runs[0], 'tsv', runColumns, 120).endsWith('\ntags.a\t')).toBe(true);
    expect(formatOutput({ n: 1, nested: { deep: [1, 2] }, none: {} }, 'table', runColumns, 120)).toBe('n            1\nnested.deep  [1,2]\nnone         {}');
    expect(formatOutput(['a', 2, null, { b: 1 }], 'table', runColumns, 120)).toBe('a\n2\n\n{"b":1}');
    expect(formatOutput('x'.repeat(200), 'table', runColumns, 120)).toBe('x'.repeat(200));
    expect(formatOutput(null, 'table', runColumns, 120)).toBe('');
    expect(formatOutput(null, 'json', runColumns, 120)).toBe('null');
    expect(formatOutput([{ experiment_id: '1', name: 'v', run_count: 3, last_run_time: null }], 'tsv', experimentColumns, 120)).toBe('experiment_id\tname\trun_count\tlast_run_time\n1\tv\t3\t');
  });

  it('reports a bad JMESPath expression as a usage error', () => {
    expect(() => applyQuery([], 'length(')).toThrow(CliError);
    expect(() => applyQuery([], "abs('x')")).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(applyQuery({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});

describe('--add-tag', () => {
  it('splits at the first =, makes a value-less tag without one, refuses an empty key', () => {
    expect(parseTag('k=v=w')).toEqual({ key: 'k', value: 'v=w' });
    expect(parseTag('flag')).toEqual({ key: 'flag', value: '' });
    expect(parseTag('k=')).toEqual({ key: 'k', value: '' });
    expect(() => parseTag('=v')).toThrow(/has no key/);
  });
});
