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

  it('reads dataset clauses: name, digest and context, with string comparators', () => {
    expect(parseFilter("datasets.name = 'train' and dataset.digest LIKE 'ab%' AND datasets.context IN ('training', \"eval\")")).toEqual([
      { entity: 'dataset', key: 'name', comparator: '=', value: 'train' },
      { entity: 'dataset', key: 'digest', comparator: 'LIKE', value: 'ab%' },
      { entity: 'dataset', key: 'context', comparator: 'IN', value: ['training', 'eval'] },
    ]);
    expect(parseFilter("datasets.`name` ILIKE 'T%'")[0]).toEqual({ entity: 'dataset', key: 'name', comparator: 'ILIKE', value: 'T%' });
    expect(parseFilter("datasets.name != 'a'")[0]).toMatchObject({ comparator: '!=' });
    expect(parseFilter("datasets.digest NOT IN ('a')")[0]).toMatchObject({ comparator: 'NOT IN', value: ['a'] });
  });

  it.each([
    ["datasets.size = 'x'", "invalid dataset key 'size'; valid keys are name, digest, context"],
    ["datasets.Name = 'x'", "invalid dataset key 'Name'"],
    ["datasets.name.x = 'x'", "invalid dataset key 'name.x'"],
    ['datasets.name IS NULL', "invalid comparator 'IS NULL' for dataset 'name'"],
    ["datasets.context > 'a'", "invalid comparator '>'"],
    ['datasets.digest = 5', 'quoted string'],
    ["datasets.name IN 'a'", "expected '('"],
  ])('explains what is wrong in the dataset clause %s', (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(FilterSyntaxError);
    expect(() => parseFilter(filter)).toThrow(message);
  });

  it('takes a LIKE pattern ending in an escaped backslash', () => {
    // The filter text 'x\\\\' is the pattern x\\: a backslash, escaped.
    expect(parseFilter("tags.a LIKE 'x\\\\\\\\'")).toEqual([{ entity: 'tag', key: 'a', comparator: 'LIKE', value: 'x\\\\' }]);
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
    ["nope.a = 'x'", 'valid values are metrics, params, tags, attributes, datasets'],
    ["attributes.color = 'x'", "invalid attribute key 'color'"],
    ["metrics.a LIKE '1'", "invalid comparator 'LIKE'"],
    ["params.a = 'open", 'unterminated'],
    ['metrics.a < 1 metrics.b < 2', 'expected AND'],
    ['start_time > 1.5', 'integer'],
    ["tags.a LIKE 'x\\\\'", 'ends with the escape character'],
    ["datasets.name ILIKE '%\\\\\\\\\\\\'", 'ends with the escape character'],
    ["tags.a = 'a\u0000b'", 'NUL character'],
  ])('explains what is wrong in %s', (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(FilterSyntaxError);
    expect(() => parseFilter(filter)).toThrow(message);
  });

  it('knows the attributes of experiments apart from those of runs', () => {
    expect(parseFilter("name LIKE 'a%'", experimentAttributes)).toHaveLength(1);
    expect(() => parseFilter('metrics.a < 1', experimentAttributes)).toThrow(FilterSyntaxError);
    expect(() => parseFilter("datasets.name = 'a'", experimentAttributes)).toThrow("'datasets' cannot be used here; valid values are tags, attributes");
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
        // What the parser refuses on purpose: NUL, and a LIKE pattern ending in its escape character.
        fc.pre(!v.includes('\u0000') && !(op.endsWith('LIKE') && /\\*$/.exec(v)![0].length % 2 === 1));
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
    expect(() => parseOrderBy('datasets.name')).toThrow('runs are not ordered by datasets');
    expect(() => parseOrderBy('datasets.name', experimentAttributes)).toThrow("'datasets' cannot be used here");
  });
});
