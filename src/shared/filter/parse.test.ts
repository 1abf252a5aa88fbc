import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { experimentAttributes, FilterSyntaxError, parseFilter, parseOrderBy } from './parse.js';

describe('parseFilter', () => {
  it('reads every entity prefix, quoting style and comparator', () => {
    expect(parseFilter("metrics.loss < 0.5 and params.lr = '0.01' AND tags.`my tag` LIKE '%x%' and attributes.status != \"RUNNING\"")).toEqual([
      { entity: 'metric', key: 'loss', comparator: '<', value: 0.5 },
      { entity: 'param', key: 'lr', comparator: '=', value: '0.01' },
      { entity: 'tag', key: 'my tag', comparator: 'LIKE', value: '%x%' },
      { entity: 'attribute', key: 'status', comparator: '!=', value: 'RUNNING' },
    ]);
    expect(parseFilter('metric.a >= -1e-3')[0]).toMatchObject({ entity: 'metric', value: -0.001 });
    expect(parseFilter('tags."a.b" IS NOT NULL')[0]).toMatchObject({ entity: 'tag', key: 'a.b', comparator: 'IS NOT NULL' });
    expect(parseFilter('tags.mlflow.runName = \'x\'')[0]).toMatchObject({ key: 'mlflow.runName' });
    expect(parseFilter("run_id IN ('a', 'b')")[0]).toMatchObject({ entity: 'attribute', key: 'run_id', comparator: 'IN', value: ['a', 'b'] });
    expect(parseFilter("params.x NOT IN ('it''s')")[0]).toMatchObject({ comparator: 'NOT IN', value: ["it's"] });
    expect(parseFilter('created > 5')[0]).toMatchObject({ key: 'start_time' });
    expect(parseFilter('`Run name` = \'x\'')[0]).toMatchObject({ entity: 'attribute', key: 'run_name', value: 'x' });
  });

  it('is empty for an empty filter', () => {
    expect(parseFilter('')).toEqual([]);
    expect(parseFilter('   ')).toEqual([]);
    expect(parseFilter(undefined)).toEqual([]);
  });

  it.each([
    ["tags.a = 'x' OR tags.b = 'y'", 'OR is not supported'],
    ['metrics.loss < x', 'numeric value'],
    ["params.lr = 5", 'quoted string'],
    ["nope.a = 'x'", "invalid entity type 'nope'"],
    ["attributes.color = 'x'", "invalid attribute key 'color'"],
    ["metrics.a LIKE '1'", "invalid comparator 'LIKE'"],
    ["params.a = 'open", 'unterminated'],
    ['metrics.a < 1 metrics.b < 2', 'expected AND'],
    ['start_time > 1.5', 'integer'],
  ])('explains what is wrong in %s', (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(FilterSyntaxError);
    expect(() => parseFilter(filter)).toThrow(message);
  });

  it('knows the attributes of experiments apart from those of runs', () => {
    expect(parseFilter("name LIKE 'a%'", experimentAttributes)).toHaveLength(1);
    expect(() => parseFilter('metrics.a < 1', experimentAttributes)).toThrow(FilterSyntaxError);
  });

  it('never throws anything but a FilterSyntaxError, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }), (text) => {
        try {
          parseFilter(text);
        } catch (error) {
          expect(error).toBeInstanceOf(FilterSyntaxError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back any clause it could be given', () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_ .-]{0,12}$/);
    const text = fc.string({ maxLength: 12 });
    const quote = (s: string) => `'${s.replaceAll("'", "''").replaceAll('\\', '\\\\')}'`;
    fc.assert(
      fc.property(key, fc.constantFrom('=', '!=', 'LIKE', 'ILIKE'), text, (k, op, v) => {
        const [clause] = parseFilter(`params.\`${k}\` ${op} ${quote(v)}`);
        expect(clause).toEqual({ entity: 'param', key: k, comparator: op, value: v });
      }),
    );
    fc.assert(
      fc.property(key, fc.constantFrom('<', '<=', '>', '>=', '=', '!='), fc.double({ noNaN: true, noDefaultInfinity: true }), (k, op, v) => {
        const [clause] = parseFilter(`metrics."${k}" ${op} ${String(v)}`);
        expect(clause).toMatchObject({ entity: 'metric', key: k, comparator: op });
        expect(clause!.value).toBe(Number(String(v)));
      }),
    );
  });
});

describe('parseOrderBy', () => {
  it('reads a direction, ascending by default', () => {
    expect(parseOrderBy('metrics.`val loss` DESC')).toEqual({ entity: 'metric', key: 'val loss', ascending: false });
    expect(parseOrderBy('start_time')).toEqual({ entity: 'attribute', key: 'start_time', ascending: true });
    expect(parseOrderBy('params.lr asc')).toEqual({ entity: 'param', key: 'lr', ascending: true });
  });
  it('rejects what it cannot order by', () => {
    expect(() => parseOrderBy('metrics.loss UP')).toThrow(FilterSyntaxError);
    expect(() => parseOrderBy('attributes.nope')).toThrow(FilterSyntaxError);
    expect(() => parseOrderBy('metrics.loss DESC extra')).toThrow(FilterSyntaxError);
  });
});
