import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDb, type TestDb } from '../test-support/backends.js';
import { LogStore } from './log-store.js';
import { openS3 } from './s3-client.js';
import { SharedLogStore } from './shared-log-store.js';
import { useS3 } from '../test-support/use-s3.js';

const dirs: string[] = [];
const s3 = useS3();
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** One replica: its own cache directory, the shared database and bucket. */
function replica(store: TestDb, prefix: string) {
  const config = s3().config(prefix);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-cache-'));
  dirs.push(dir);
  return new SharedLogStore(store.db, openS3(config), new LogStore(path.join(dir, 'cache')), (error) => {
    throw error;
  });
}

async function whole(logs: SharedLogStore, run: string, name: string): Promise<Buffer> {
  const size = await logs.size(run, name);
  const stream = await logs.stream(run, name, 0, size);
  return stream ? buffer(stream) : Buffer.alloc(0);
}

/** A sink like an HTTP response, collecting what a live tail writes. */
function sink() {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { out, text: () => Buffer.concat(chunks).toString() };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe.each(backends())('SharedLogStore on S3 (%s)', (backend) => {
  let store: TestDb;
  let prefix: string;
  beforeAll(async () => {
    store = await openTestDb(backend);
    prefix = `logs-${backend}-${Date.now()}`;
  });
  afterAll(async () => {
    await store?.cleanup();
  });
  const b = (text: string) => Buffer.from(text);

  it('appends by offset: a retry is a no-op, an overlap appends the tail, a gap or other bytes are a 409', async () => {
    const logs = replica(store, prefix);
    const run = 'r-append';
    expect(await logs.append(run, 'out.log', 0, b('hello '))).toEqual({ size: 6, appended: 6 });
    expect(await logs.append(run, 'out.log', 0, b('hello '))).toEqual({ size: 6, appended: 0 });
    expect(await logs.append(run, 'out.log', 3, b('lo world\n'))).toEqual({ size: 12, appended: 6 });
    await expect(logs.append(run, 'out.log', 20, b('x'))).rejects.toMatchObject({ code: 'RESOURCE_CONFLICT', extra: { size: 12 } });
    await expect(logs.append(run, 'out.log', 6, b('WORLD'))).rejects.toMatchObject({ code: 'RESOURCE_CONFLICT', extra: { size: 12 } });
    expect(await logs.append(run, 'out.log', 12, Buffer.alloc(0))).toEqual({ size: 12, appended: 0 });
    await logs.append(run, 'err.log', 0, b('!'));
    expect((await whole(logs, run, 'out.log')).toString()).toBe('hello world\n');
    expect(await logs.list(run)).toEqual([
      { name: 'err.log', size: 1 },
      { name: 'out.log', size: 12 },
    ]);
    expect(await logs.size(run, 'missing.log')).toBe(0);
    await expect(logs.append(run, '../x', 0, b('x'))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });

  it('keeps one byte order for two replicas appending in turn, read the same from both', async () => {
    const a = replica(store, prefix);
    const b2 = replica(store, prefix);
    const run = 'r-turns';
    let expected = '';
    for (let i = 0; i < 10; i++) {
      const line = `line ${i} from ${i % 2 ? 'B' : 'A'}\n`;
      const result = await (i % 2 ? b2 : a).append(run, 'train.log', expected.length, b(line));
      expected += line;
      expect(result).toEqual({ size: expected.length, appended: line.length });
    }
    // B retries A's last append (it never saw it): a no-op, checked against A's bytes.
    expect(await b2.append(run, 'train.log', expected.length - 16, b(expected.slice(-16)))).toEqual({ size: expected.length, appended: 0 });
    expect((await whole(a, run, 'train.log')).toString()).toBe(expected);
    expect((await whole(b2, run, 'train.log')).toString()).toBe(expected);
    // Lines and search on B see A's appends.
    const lines = await b2.lines(run, 'train.log', 8, 5);
    expect(lines).toMatchObject({ totalLines: 10, start: 8, lines: ['line 8 from A', 'line 9 from B'] });
    expect(await b2.search(run, 'train.log', 'FROM a', 10)).toEqual({ lines: [0, 2, 4, 6, 8], truncated: false });
    expect(await a.search(run, 'train.log', 'line 9', 10)).toEqual({ lines: [9], truncated: false });
  });

  it('lets exactly one of two racing replicas write each offset, and the other one appends after it', async () => {
    const a = replica(store, prefix);
    const b2 = replica(store, prefix);
    const run = 'r-race';
    // Each writer appends its own lines at the end it knows, resending after a 409.
    async function writer(logs: SharedLogStore, who: string, count: number) {
      for (let i = 0; i < count; i++) {
        const line = b(`${who}${i}:${'x'.repeat(i % 7)}\n`);
        for (;;) {
          const size = await logs.size(run, 'race.log');
          try {
            await logs.append(run, 'race.log', size, line);
            break;
          } catch (error) {
            if ((error as { code?: string }).code !== 'RESOURCE_CONFLICT') throw error;
          }
        }
      }
    }
    await Promise.all([writer(a, 'A', 15), writer(b2, 'B', 15), writer(a, 'C', 10)]);
    const fromA = await whole(a, run, 'race.log');
    const fromB = await whole(b2, run, 'race.log');
    expect(fromA.equals(fromB)).toBe(true);
    const lines = fromA.toString().split('\n').slice(0, -1);
    expect(lines.length).toBe(40);
    for (const who of ['A', 'B', 'C']) {
      const mine = lines.filter((l) => l.startsWith(who)).map((l) => Number(l.slice(1, l.indexOf(':'))));
      // Every line exactly once, in its writer's order.
      expect(mine).toEqual([...mine.keys()]);
    }
    // The segments tile the log: no gap, no overlap.
    const segments = await store.db.kysely.selectFrom('log_segments').selectAll().where('run_uuid', '=', run).orderBy('start_offset').execute();
    let end = 0;
    for (const s of segments) {
      expect(Number(s.start_offset)).toBe(end);
      end += Number(s.length);
    }
    expect(end).toBe(fromA.length);
  });

  it('races the same bytes at one offset from two replicas: one writes, the other is a no-op', async () => {
    const a = replica(store, prefix);
    const b2 = replica(store, prefix);
    const run = 'r-same';
    const results = await Promise.all([a.append(run, 'x.log', 0, b('same bytes\n')), b2.append(run, 'x.log', 0, b('same bytes\n'))]);
    expect(results.map((r) => r.appended).sort()).toEqual([0, 11]);
    const other = await Promise.allSettled([a.append(run, 'x.log', 11, b('from A\n')), b2.append(run, 'x.log', 11, b('from B\n'))]);
    expect(other.filter((r) => r.status === 'fulfilled').length).toBe(1);
    expect(other.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'RESOURCE_CONFLICT', extra: { size: 18 } } });
    expect((await whole(b2, run, 'x.log')).equals(await whole(a, run, 'x.log'))).toBe(true);
  });

  it("streams a byte range from the second replica's cache, fetched from the bucket", async () => {
    const a = replica(store, prefix);
    const run = 'r-range';
    const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => `row ${i}\n`).join(''));
    for (let at = 0; at < data.length; at += 7000) await a.append(run, 'big.log', at, data.subarray(at, at + 7000));
    const b2 = replica(store, prefix);
    const part = await b2.stream(run, 'big.log', 1000, 25000);
    expect((await buffer(part!)).equals(data.subarray(1000, 25000))).toBe(true);
    expect(await b2.stream(run, 'big.log', 5, 5)).toBeNull();
  });

  it("follows on replica B: A's appends arrive after noticeGrowth", async () => {
    const a = replica(store, prefix);
    const b2 = replica(store, prefix);
    const run = 'r-follow';
    await a.append(run, 'live.log', 0, b('before\n'));
    const tail = sink();
    const stop = b2.follow(run, 'live.log', 0, tail.out, (error) => {
      throw error;
    });
    try {
      await until(() => tail.text().includes('before'), 'the bytes written before following');
      const { size } = await a.append(run, 'live.log', 7, b('after\n'));
      expect(tail.text()).not.toContain('after');
      await b2.noticeGrowth(run, 'live.log', size);
      await until(() => tail.text().includes('after'), "A's append on B's live tail");
      // Events carry the text JSON-encoded, in log order.
      expect(tail.text()).toMatch(/before\\n[\s\S]*after\\n/);
      expect(b2.openStreams).toBe(1);
    } finally {
      stop();
    }
    expect(b2.openStreams).toBe(0);
  });
});
