import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, openTestDb, type TestDb } from '../test-support/backends.js';
import { s3TestServer } from '../test-support/s3.js';
import { LogStore } from './log-store.js';
import { openS3 } from './s3-client.js';
import { SharedLogStore } from './shared-log-store.js';
import { useS3 } from '../test-support/use-s3.js';

/** An attacker's pass over the S3 shared log store: races, retries, big and odd appends, a cache pulled away. */
const dirs: string[] = [];
const s3 = useS3();
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** One replica: its own cache directory (returned, to be tampered with), the shared database and bucket. */
function replica(store: TestDb, prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-hostile-'));
  dirs.push(dir);
  const errors: unknown[] = [];
  const logs = new SharedLogStore(store.db, openS3(s3().config(prefix)), new LogStore(path.join(dir, 'cache')), (error) => errors.push(error));
  return { logs, dir, errors, cacheFile: (run: string, name: string) => path.join(dir, 'cache', 'logs', run, name) };
}

async function whole(logs: SharedLogStore, run: string, name: string): Promise<Buffer> {
  const size = await logs.size(run, name);
  const stream = await logs.stream(run, name, 0, size);
  return stream ? buffer(stream) : Buffer.alloc(0);
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

const b = (text: string) => Buffer.from(text);

describe.each(backends())('SharedLogStore under attack (%s)', (backend) => {
  let store: TestDb;
  let prefix: string;
  beforeAll(async () => {
    store = await openTestDb(backend);
    prefix = `hostile-${backend}-${Date.now()}`;
  });
  afterAll(async () => {
    await store?.cleanup();
  });

  it('lets one of two replicas win overlapping appends of different bytes; the loser gets a 409 with the winner’s size', async () => {
    const a = replica(store, prefix);
    const c = replica(store, prefix);
    const run = 'r-overlap';
    await a.logs.append(run, 'o.log', 0, b('hello\n'));
    for (let round = 0; round < 5; round++) {
      const at = await a.logs.size(run, 'o.log');
      // Both resend the last 3 bytes they know (the same) and then different, differently long tails.
      const common = (await whole(a.logs, run, 'o.log')).subarray(at - 3);
      const fromA = Buffer.concat([common, b(`A${round}\n`)]);
      const fromC = Buffer.concat([common, b(`CC${round}\n`)]);
      const results = await Promise.allSettled([a.logs.append(run, 'o.log', at - 3, fromA), c.logs.append(run, 'o.log', at - 3, fromC)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won.length, `round ${round}`).toBe(1);
      const lost = results.find((r) => r.status === 'rejected');
      const winner = results[0].status === 'fulfilled' ? fromA : fromC;
      expect(lost?.reason).toMatchObject({ code: 'RESOURCE_CONFLICT', extra: { size: at - 3 + winner.length } });
      const text = await whole(c.logs, run, 'o.log');
      expect(text.subarray(at - 3).equals(winner)).toBe(true);
      expect(text.equals(await whole(a.logs, run, 'o.log'))).toBe(true);
    }
    expect(a.errors.concat(c.errors)).toEqual([]);
  });

  it('treats a retried append after a lost response as a no-op on any replica, and a longer retry as its tail only', async () => {
    const a = replica(store, prefix);
    const c = replica(store, prefix);
    const run = 'r-retry';
    expect(await a.logs.append(run, 'r.log', 0, b('first\n'))).toEqual({ size: 6, appended: 6 });
    // The response was lost: the client resends the same bytes, through the other replica, twice at once.
    const again = await Promise.all([c.logs.append(run, 'r.log', 0, b('first\n')), a.logs.append(run, 'r.log', 0, b('first\n'))]);
    expect(again).toEqual([
      { size: 6, appended: 0 },
      { size: 6, appended: 0 },
    ]);
    // It resends with more it buffered meanwhile: only the new tail is appended, once.
    const longer = await Promise.all([c.logs.append(run, 'r.log', 0, b('first\nsecond\n')), a.logs.append(run, 'r.log', 0, b('first\nsecond\n'))]);
    expect(longer.map((r) => r.appended).sort()).toEqual([0, 7]);
    expect((await whole(c.logs, run, 'r.log')).toString()).toBe('first\nsecond\n');
    const segments = await store.db.kysely.selectFrom('log_segments').select(['start_offset', 'length']).where('run_uuid', '=', run).orderBy('start_offset').execute();
    expect(segments.map((s) => [Number(s.start_offset), Number(s.length)])).toEqual([
      [0, 6],
      [6, 7],
    ]);
  });

  it('refuses log names with path characters before touching the bucket or the cache', async () => {
    const a = replica(store, prefix);
    for (const name of ['../x', 'a/b', 'a\\b', '.hidden', '..', '-rf', 'a\0b', 'x'.repeat(101), '', 'é.log', 'a b']) {
      await expect(a.logs.append('r-names', name, 0, b('x')), JSON.stringify(name)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(a.logs.size('r-names', name)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
      await expect(a.logs.stream('r-names', name, 0, 1)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    }
    const rows = await store.db.kysely.selectFrom('log_segments').selectAll().where('run_uuid', '=', 'r-names').execute();
    expect(rows).toEqual([]);
    expect(fs.existsSync(path.join(a.dir, 'cache', 'logs', 'r-names'))).toBe(false);
  });

  it('never shows a reader on another replica torn or foreign bytes while appends race', async () => {
    const a = replica(store, prefix);
    const c = replica(store, prefix);
    const run = 'r-read-race';
    const lines = Array.from({ length: 60 }, (_, i) => `line ${i} ${'#'.repeat(i % 13)}\n`);
    const expected = lines.join('');
    let done = false;
    const writing = (async () => {
      let at = 0;
      for (const line of lines) {
        await a.logs.append(run, 'w.log', at, b(line));
        at += line.length;
      }
      done = true;
    })();
    const seen: number[] = [];
    while (!done) {
      const [text, page] = await Promise.all([whole(c.logs, run, 'w.log'), c.logs.lines(run, 'w.log', 0, 1000)]);
      expect(expected.startsWith(text.toString())).toBe(true);
      expect(page.lines.every((l, i) => `${l}\n` === lines[i] || (i === page.lines.length - 1 && lines[i]!.startsWith(l)))).toBe(true);
      seen.push(text.length);
    }
    await writing;
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect((await whole(c.logs, run, 'w.log')).toString()).toBe(expected);
  });

  it('rebuilds a cache file deleted under it from the bucket: reads, lines, search and appends carry on', async () => {
    const a = replica(store, prefix);
    const c = replica(store, prefix);
    const run = 'r-cache-gone';
    const text = Array.from({ length: 200 }, (_, i) => `row ${i}\n`).join('');
    await a.logs.append(run, 'c.log', 0, b(text));
    expect((await c.logs.lines(run, 'c.log', 150, 1)).lines).toEqual(['row 150']);
    fs.rmSync(c.cacheFile(run, 'c.log'));
    fs.rmSync(a.cacheFile(run, 'c.log'));
    expect((await c.logs.lines(run, 'c.log', 199, 5)).lines).toEqual(['row 199']);
    expect(await c.logs.search(run, 'c.log', 'row 42', 10)).toEqual({ lines: [42], truncated: false });
    expect((await whole(c.logs, run, 'c.log')).toString()).toBe(text);
    // The writer's own cache was deleted too: its next append checks against the bucket's bytes.
    await expect(a.logs.append(run, 'c.log', 0, b('ROW 0\n'))).rejects.toMatchObject({ code: 'RESOURCE_CONFLICT', extra: { size: text.length } });
    expect(await a.logs.append(run, 'c.log', text.length, b('row 200\n'))).toEqual({ size: text.length + 8, appended: 8 });
    expect((await c.logs.lines(run, 'c.log', 200, 1)).lines).toEqual(['row 200']);
    expect(a.errors.concat(c.errors)).toEqual([]);
  });

  it('keeps a live tail going when its cache file is deleted under it', async () => {
    const a = replica(store, prefix);
    const c = replica(store, prefix);
    const run = 'r-tail-gone';
    await a.logs.append(run, 't.log', 0, b('before\n'));
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const tailText = () => Buffer.concat(chunks).toString();
    const failures: unknown[] = [];
    const stop = c.logs.follow(run, 't.log', 0, out, (error) => failures.push(error));
    try {
      await until(() => tailText().includes('before'), 'the first bytes');
      fs.rmSync(c.cacheFile(run, 't.log'));
      const { size } = await a.logs.append(run, 't.log', 7, b('after\n'));
      await c.logs.noticeGrowth(run, 't.log', size);
      await until(() => tailText().includes('after'), 'the append after the cache file went');
      // Nothing sent twice: the tail resumes at its own offset in the rebuilt file.
      expect(tailText().match(/before/g)).toHaveLength(1);
    } finally {
      stop();
    }
  });
});

describe.each(backends())('run logs over HTTP on two S3 replicas, hostile inputs (%s)', (backend) => {
  let store: TestDb;
  let a: Awaited<ReturnType<typeof s3TestServer>>;
  let c: Awaited<ReturnType<typeof s3TestServer>>;
  let runId: string;
  beforeAll(async () => {
    store = await openTestDb(backend);
    a = await s3TestServer(backend, s3(), `http-hostile-${backend}`, { db: store.db });
    c = await s3TestServer(backend, s3(), `http-hostile-${backend}`, { db: store.db });
    runId = (await a.post(`${ML}/runs/create`, {})).body.run.info.run_id;
  });
  afterAll(async () => {
    await a?.close();
    await c?.close();
    await store?.cleanup();
  });
  const octets = { 'content-type': 'application/octet-stream' };

  it('takes a 16 MiB append on A and serves it byte for byte from B; one byte more is a 413', async () => {
    const big = Buffer.alloc(16 * 1024 * 1024 - 64 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = i % 81 === 80 ? 10 : 97 + (i % 26);
    const appended = await a.app.inject({ method: 'POST', url: `/api/studio/runs/${runId}/logs/big.log?offset=0`, headers: octets, payload: big });
    expect(appended.statusCode).toBe(200);
    expect(appended.json()).toEqual({ size: big.length, appended: big.length });
    const download = await c.app.inject({ method: 'GET', url: `/api/studio/runs/${runId}/logs/big.log` });
    expect(download.statusCode).toBe(200);
    expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(createHash('sha256').update(big).digest('hex'));
    const tail = await c.app.inject({ method: 'GET', url: `/api/studio/runs/${runId}/logs/big.log`, headers: { range: `bytes=${big.length - 10}-` } });
    expect(tail.rawPayload.equals(big.subarray(big.length - 10))).toBe(true);
    const tooBig = await a.app.inject({ method: 'POST', url: `/api/studio/runs/${runId}/logs/huge.log?offset=0`, headers: octets, payload: Buffer.alloc(16 * 1024 * 1024 + 1) });
    expect(tooBig.statusCode).toBe(413);
    expect((await c.get(`/api/studio/runs/${runId}/logs`)).body.logs).toEqual([{ name: 'big.log', size: big.length }]);
  }, 20_000);

  it('keeps an escaping run id or log name out of the bucket and the cache', async () => {
    for (const [id, name] of [
      ['..%2F..%2Fescape', 'a.log'],
      ['..', 'a.log'],
      [runId, '..%2F..%2Fa.log'],
      [runId, '..'],
      [runId, '%2e%2e'],
    ]) {
      const response = await a.app.inject({ method: 'POST', url: `/api/studio/runs/${id}/logs/${name}?offset=0`, headers: octets, payload: b('x') });
      expect([400, 404], `${id} ${name}`).toContain(response.statusCode);
    }
    for (const server of [a, c]) {
      expect(fs.existsSync(path.join(server.blobDir, 'escape'))).toBe(false);
      expect(fs.readdirSync(server.blobDir).sort()).not.toContain('a.log');
    }
    const rows = await store.db.kysely.selectFrom('log_segments').select('run_uuid').distinct().execute();
    expect(rows.map((r) => r.run_uuid)).toEqual([runId]);
  });
});
