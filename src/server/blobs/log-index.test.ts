import { describe, expect, it } from 'vitest';
import { BYTES_PER_ENTRY, LINES_PER_ENTRY, SparseLineIndex } from './log-index.js';

function fed(text: string | Buffer, chunk = 4096): SparseLineIndex {
  const bytes = Buffer.from(text);
  const index = new SparseLineIndex();
  for (let at = 0; at < bytes.length; at += chunk) index.feed(bytes.subarray(at, at + chunk), at);
  return index;
}

describe('SparseLineIndex', () => {
  it('holds a few entries, not one per line: 1,000,000 one-byte lines take a few KB', () => {
    const index = fed(Buffer.alloc(1_000_000, '\n'), 1 << 20);
    expect(index.totalLines).toBe(1_000_000);
    expect(index.byteSize).toBeLessThanOrEqual(32 * 1024);
    // 100 MB of 100-byte lines: one entry per 64 KiB at most.
    const big = new SparseLineIndex();
    const chunk = Buffer.from(`${'x'.repeat(99)}\n`.repeat(10_000));
    for (let i = 0; i < 100; i += 1) big.feed(chunk, i * chunk.length);
    expect(big.totalLines).toBe(1_000_000);
    expect(big.byteSize).toBeLessThanOrEqual(64 * 1024);
  });

  it('counts lines as a split does: a last line without newline counts, a final newline opens none', () => {
    expect(fed('').totalLines).toBe(0);
    expect(fed('a').totalLines).toBe(1);
    expect(fed('a\n').totalLines).toBe(1);
    expect(fed('a\n\n').totalLines).toBe(2);
    expect(fed('a\r\nb').totalLines).toBe(2);
  });

  it('finds the entry before a line, and knows where a line after a long one starts', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => (i === 3000 ? 'y'.repeat(BYTES_PER_ENTRY * 3) : `line ${i}`));
    const text = `${lines.join('\n')}\n`;
    const index = fed(text, 1000);
    const starts = [0];
    for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') starts.push(i + 1);
    for (const line of [0, 1, 1023, 1024, 1025, 2999, 3000, 3001, 4999]) {
      const entry = index.floor(line);
      expect(entry.line).toBeLessThanOrEqual(line);
      expect(line - entry.line).toBeLessThan(LINES_PER_ENTRY);
      expect(entry.offset).toBe(starts[entry.line]);
    }
    expect(index.knownStart(3001)).toBe(starts[3001]);
    expect(index.knownStart(5000)).toBe(text.length);
  });

  it('skips bytes fed twice and ignores a gap, so appends and scans can both feed it', () => {
    const index = fed('one\ntwo\n');
    index.feed(Buffer.from('two\nthree\n'), 4);
    index.feed(Buffer.from('late\n'), 100);
    expect(index.scanned).toBe(14);
    expect(index.totalLines).toBe(3);
  });
});
