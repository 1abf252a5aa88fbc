import { describe, expect, it } from 'vitest';
import { cartesian, pointName, substitute, sweepParam } from './grid.js';
import { shellJoin } from './shell-quote.js';
import { SseParser } from './sse.js';

describe('sweep grid', () => {
  it('parses --param and builds the cartesian product, first parameter slowest', () => {
    const params = sweepParam('batch=32,64', sweepParam('lr=0.1,0.01'));
    expect(cartesian(params).map(pointName)).toEqual(['lr=0.1 batch=32', 'lr=0.1 batch=64', 'lr=0.01 batch=32', 'lr=0.01 batch=64']);
    expect(() => sweepParam('lr')).toThrow(/NAME=V1,V2/);
    expect(() => sweepParam('lr=1,', [])).toThrow(/NAME=V1,V2/);
    expect(() => sweepParam('lr=1', params.slice(0, 1))).toThrow(/twice/);
  });

  it('substitutes {name} of swept parameters only', () => {
    expect(substitute(['train', '--lr={lr}', '{"json": 1}', '{other}'], { lr: '0.1' })).toEqual(['train', '--lr=0.1', '{"json": 1}', '{other}']);
  });
});

describe('shellJoin', () => {
  it('quotes only what a shell would split or expand', () => {
    expect(shellJoin(['python', 'train.py', '--lr=0.1', 'two words', "it's", '$HOME', ''])).toBe(`python train.py --lr=0.1 'two words' 'it'\\''s' '$HOME' ''`);
  });
});

describe('SseParser', () => {
  it('splits events across chunks and skips comments', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 1000\n\n: keep-alive\n\nevent: can')).toEqual([]);
    expect(parser.push('cel\ndata: {"graceMs":5}\n\r\nevent: ended\ndata: {"status":"FAILED"}\n\n')).toEqual([
      { event: 'cancel', data: '{"graceMs":5}' },
      { event: 'ended', data: '{"status":"FAILED"}' },
    ]);
  });
});
