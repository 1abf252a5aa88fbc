import { describe, expect, it } from 'vitest';
import { parseFilter } from '../filter/parse.js';
import { filterText, orderByForColumn, parseExplorerState, toSearchRequest, viewableState } from './explorer-state.js';

describe('explorer state', () => {
  it('compiles chips and the advanced text into one filter the server parses', () => {
    const state = {
      filters: [
        { field: 'tag' as const, key: "it's `odd`", op: '=' as const, value: "o'k" },
        { field: 'param' as const, key: 'lr', op: 'contains' as const, value: '0.0' },
        { field: 'metric' as const, key: 'loss', op: '<' as const, value: '0.5' },
        { field: 'status' as const, op: '=' as const, value: 'RUNNING' },
        { field: 'compute' as const, op: 'exists' as const, value: '' },
        { field: 'submitter' as const, op: '!=' as const, value: 'bot' },
        { field: 'created' as const, op: '>=' as const, value: '2026-01-01' },
        { field: 'experiment' as const, op: '=' as const, value: '7' },
        { field: 'dataset' as const, op: '=' as const, value: "it's" },
        { field: 'dataset' as const, op: 'contains' as const, value: 'mnist' },
      ],
      filter: "tags.x = 'y'",
    };
    const text = filterText(state);
    expect(parseFilter(text)).toEqual([
      { entity: 'tag', key: "it's `odd`", comparator: '=', value: "o'k" },
      { entity: 'param', key: 'lr', comparator: 'ILIKE', value: '%0.0%' },
      { entity: 'metric', key: 'loss', comparator: '<', value: 0.5 },
      { entity: 'attribute', key: 'status', comparator: '=', value: 'RUNNING' },
      { entity: 'tag', key: 'runstudio.compute', comparator: 'IS NOT NULL', value: null },
      { entity: 'attribute', key: 'user_id', comparator: '!=', value: 'bot' },
      { entity: 'attribute', key: 'start_time', comparator: '>=', value: Date.parse('2026-01-01') },
      { entity: 'dataset', key: 'name', comparator: '=', value: "it's" },
      { entity: 'dataset', key: 'name', comparator: 'ILIKE', value: '%mnist%' },
      { entity: 'tag', key: 'x', comparator: '=', value: 'y' },
    ]);
    expect(toSearchRequest(state).experimentIds).toEqual(['7']);
    expect(toSearchRequest(state, '3').experimentIds).toEqual(['3']);
  });

  it('sorts on the server by any column that has an order', () => {
    for (const col of ['name', 'status', 'user', 'created', 'compute', 'description', 'param:lr', 'metric:val loss', 'tag:team']) {
      const orderBy = orderByForColumn(col);
      expect(orderBy, col).not.toBeNull();
    }
    expect(orderByForColumn('duration')).toBeNull();
    expect(toSearchRequest({ sort: 'metric:loss', desc: false }).orderBy).toEqual(['metrics.`loss` ASC']);
    expect(toSearchRequest({}).orderBy).toEqual(['attributes.start_time DESC']);
    expect(toSearchRequest({ flat: true }).parentRunId).toBe('*');
    expect(toSearchRequest({}).parentRunId).toBeUndefined();
  });

  it('repairs a tampered URL field by field', () => {
    expect(parseExplorerState({ q: 'ok', cols: 'not-an-array', desc: 'yes', flat: true })).toEqual({ q: 'ok', flat: true });
    expect(parseExplorerState(null)).toEqual({});
  });

  it('keeps the good ids of a selection whose link has a garbled one, and no more than 50', () => {
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(32);
    expect(parseExplorerState({ sel: [a, 'not-a-run', 42, b], q: 'x' })).toEqual({ sel: [a, b], q: 'x' });
    const many = Array.from({ length: 60 }, (_, i) => i.toString(16).padStart(32, '0'));
    expect(parseExplorerState({ sel: many }).sel).toEqual(many.slice(-50));
    expect(viewableState({ sel: [a], q: 'x' })).toEqual({ q: 'x' });
  });
});
