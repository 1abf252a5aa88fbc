import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LINE_CAP, WINDOW_BYTES } from './log-lines.js';
import { LogStore } from './log-store.js';

const run = '0123456789abcdef0123456789abcdef';
const dirs: string[] = [];
function store(budget?: number, root = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-logs-'))) {
  dirs.push(root);
  return { logs: new LogStore(root, { fsync: false }, budget), root };
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** What a reader expects, the naive way: split the whole text, drop CR, cut long lines. */
function naiveLines(bytes: Buffer): string[] {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const nl = bytes.indexOf(10, at);
    parts.push(bytes.subarray(at, nl === -1 ? bytes.length : nl));
    at = nl === -1 ? bytes.length : nl + 1;
  }
  return parts.map((line) => {
    if (line.length > LINE_CAP) return `${line.toString('utf8', 0, LINE_CAP)}…[line cut: ${LINE_CAP} of ${line.length} bytes shown]`;
    return line.toString('utf8', 0, line[line.length - 1] === 13 ? line.length - 1 : line.length);
  });
}

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('LogStore line windows and search', () => {
  // CRLF lines, a 200 KB line, 300k empty lines, multibyte text, and an empty last line.
  const text = [
    'first line\r\nsecond\r\n',
    'plain ünïcödé 日本語 line\n'.repeat(3000),
    `${'z'.repeat(200_000)}\n`,
    '\n'.repeat(300_000),
    Array.from({ length: 20_000 }, (_, i) => `step ${i} loss=${(1 / (i + 1)).toFixed(6)}${i % 997 === 0 ? ' NEEDLE' : ''}`).join('\n'),
    '\nlast but one\n\n',
  ].join('');
  const bytes = Buffer.from(text);
  const expected = naiveLines(bytes);

  it('returns exactly the windows of a naive split, for appends in odd chunks, a cold index and an evicted one', async () => {
    const { logs, root } = store();
    const next = random(7);
    let offset = 0;
    while (offset < bytes.length) {
      // Chunks of 1 byte to 300 KB, so boundaries fall inside lines and characters.
      const size = Math.min(bytes.length - offset, Math.ceil(next() ** 3 * 300_000));
      await logs.append(run, 'mixed.log', offset, bytes.subarray(offset, offset + size));
      offset += size;
      if (next() < 0.1) expect((await logs.lines(run, 'mixed.log', 0, 1)).size).toBe(offset);
    }
    // A store that never saw the appends builds its index from the file; a tiny budget evicts it often.
    const cold = new LogStore(root);
    const tiny = new LogStore(root, { fsync: false }, 1024);
    // Windows at the edges (the long line, entry boundaries, the end), then random ones.
    const edges: Array<[number, number]> = [[0, 3], [3001, 1], [3002, 1], [3000, 5], [3003, 2000], [1023, 2], [4095, 3], [expected.length - 3, 10], [expected.length, 5]];
    for (let i = 0; i < 150; i += 1) {
      const [start, count]: [number, number] = edges[i] ?? [Math.floor(next() * (expected.length + 10)), 1 + Math.floor(next() * 5000)];
      const want = expected.slice(start, start + count);
      for (const read of [logs.lines.bind(logs), cold.lines.bind(cold), tiny.lines.bind(tiny)]) {
        const window = await read(run, 'mixed.log', start, count);
        expect(window.totalLines).toBe(expected.length);
        expect(window.size).toBe(bytes.length);
        expect(window.start).toBe(Math.min(start, expected.length));
        expect(window.lines).toEqual(want);
      }
      await tiny.lines(run, `other-${i % 3}.log`, 0, 1);
    }
    expect(expected.at(-1)).toBe('');
    expect(expected).toContain(`${'z'.repeat(LINE_CAP)}…[line cut: ${LINE_CAP} of 200000 bytes shown]`);
  });

  it('stops a window at 4 MiB of text and says so', async () => {
    const { logs } = store();
    const line = 'w'.repeat(60_000);
    await logs.append(run, 'wide.log', 0, Buffer.from(`${line}\n`.repeat(100)));
    const window = await logs.lines(run, 'wide.log', 10, 100);
    expect(window.truncated).toBe(true);
    expect(window.lines.length).toBe(Math.floor(WINDOW_BYTES / 60_000));
    expect(window.lines.every((l) => l === line)).toBe(true);
    expect((await logs.lines(run, 'wide.log', 0, 5)).truncated).toBeUndefined();
  });

  it('searches like a naive scan, also inside a line longer than a read', async () => {
    const { logs } = store();
    const long = `${'a'.repeat((1 << 20) - 3)}MaTcH${'b'.repeat(3 << 20)}`;
    const all = Buffer.from(`${text}${long}\nafter match\n`);
    await logs.append(run, 's.log', 0, all);
    const lines = naiveLines(all).length;
    const found = await logs.search(run, 's.log', 'needle', 10_000);
    expect(found).toEqual({ lines: expected.flatMap((l, i) => (l.includes('NEEDLE') ? [i] : [])), truncated: false });
    expect(await logs.search(run, 's.log', 'match', 10)).toEqual({ lines: [lines - 2, lines - 1], truncated: false });
    expect(await logs.search(run, 's.log', '日本語', 2)).toEqual({ lines: [2, 3], truncated: true });
    expect(await logs.search(run, 'missing.log', 'x', 2)).toEqual({ lines: [], truncated: false });
  });
});
