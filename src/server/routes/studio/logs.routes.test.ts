import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogAppendEvent } from '../../../shared/studio/logs.js';
import { backends, listeningServer, ML } from '../../test-support/backends.js';

const octets = { 'content-type': 'application/octet-stream' };

/** A live tail read over plain HTTP, as raw server-sent events: each with its id and its size on the wire. */
async function follow(url: string, headers: Record<string, string> = {}) {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(url, { agent: false, headers }, resolve).on('error', reject);
  });
  const decoder = new TextDecoder();
  const events: Array<{ id: string | null; bytes: number; data: LogAppendEvent }> = [];
  let buffered = '';
  let wake: () => void = () => undefined;
  response.on('data', (chunk: Buffer) => {
    buffered += decoder.decode(chunk, { stream: true });
    for (let end = buffered.indexOf('\n\n'); end !== -1; end = buffered.indexOf('\n\n')) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (!block.includes('event: append')) continue;
      const id = /^id: (.*)$/m.exec(block)?.[1] ?? null;
      events.push({ id, bytes: Buffer.byteLength(block) + 2, data: JSON.parse(block.slice(block.indexOf('data: ') + 6)) as LogAppendEvent });
    }
    wake();
  });
  const text = () => events.map((e) => e.data.text).join('');
  return {
    status: response.statusCode,
    headers: response.headers,
    events,
    text,
    /** Waits for events until `done()` holds (the test's timeout catches a tail that never gets there). */
    async until(done: () => boolean) {
      while (!done()) await new Promise<void>((resolve) => (wake = resolve));
      return text();
    },
    close: () => response.destroy(),
  };
}

describe.each(backends())('run logs on %s', (backend) => {
  let server: Awaited<ReturnType<typeof listeningServer>>;
  let runId: string;
  beforeAll(async () => {
    server = await listeningServer(backend);
    runId = (await server.post(`${ML}/runs/create`, {})).body.run.info.run_id;
  });
  afterAll(async () => {
    await server.close();
  });

  const logUrl = (name: string) => `/api/studio/runs/${runId}/logs/${name}`;
  const append = async (name: string, offset: number, text: string | Buffer) => {
    const res = await server.app.inject({ method: 'POST', url: `${logUrl(name)}?offset=${offset}`, payload: Buffer.from(text), headers: octets });
    return { status: res.statusCode, body: res.json<Record<string, any>>() };
  };
  const download = (name: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url: logUrl(name), headers });
  const whole = async (name: string) => (await download(name)).body;

  it('appends by offset: a retry is a no-op, an overlap adds only the new tail, a gap is 409 with the size', async () => {
    expect(await append('std_log.txt', 0, 'line 1\n')).toEqual({ status: 200, body: { size: 7, appended: 7 } });
    expect(await append('std_log.txt', 7, 'line 2\n')).toEqual({ status: 200, body: { size: 14, appended: 7 } });
    expect(await append('std_log.txt', 7, 'line 2\n')).toEqual({ status: 200, body: { size: 14, appended: 0 } });
    expect(await append('std_log.txt', 7, 'line 2\nline 3\n')).toEqual({ status: 200, body: { size: 21, appended: 7 } });
    const gap = await append('std_log.txt', 30, 'late\n');
    expect(gap.status).toBe(409);
    expect(gap.body).toMatchObject({ error_code: 'RESOURCE_CONFLICT', size: 21 });
    expect(gap.body.message).toContain('offset 21');
    expect(await whole('std_log.txt')).toBe('line 1\nline 2\nline 3\n');
  });

  it('refuses an append whose overlap differs from the stored bytes: 409 with the size, nothing written', async () => {
    await append('exact.txt', 0, 'alpha\nbeta\n');
    for (const [offset, text] of [[6, 'BETA\n'], [0, 'alpha\nbetX\ngamma\n'], [10, 'X']] as const) {
      const refused = await append('exact.txt', offset, text);
      expect(refused.status, text).toBe(409);
      expect(refused.body).toMatchObject({ error_code: 'RESOURCE_CONFLICT', size: 11 });
      expect(refused.body.message).toContain(`offset ${offset}`);
      expect(refused.body.message).toContain('11 bytes');
    }
    expect(await whole('exact.txt')).toBe('alpha\nbeta\n');
    expect(await append('exact.txt', 6, 'beta\ngamma\n')).toEqual({ status: 200, body: { size: 17, appended: 6 } });
    expect(await whole('exact.txt')).toBe('alpha\nbeta\ngamma\n');
  });

  it('serves windows of lines with the total, long lines cut, and search', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `step ${i} loss=${(1 / (i + 1)).toFixed(4)}${i === 1234 ? ' WARNING spike' : ''}`);
    await append('train.log', 0, `${lines.join('\n')}\n`);
    const window = (await server.get(`${logUrl('train.log')}/lines?start=1230&count=5`)).body;
    expect(window).toEqual({ totalLines: 2000, size: Buffer.byteLength(`${lines.join('\n')}\n`), start: 1230, lines: lines.slice(1230, 1235) });
    const tail = (await server.get(`${logUrl('train.log')}/lines?start=1998&count=500`)).body;
    expect(tail.lines).toEqual(lines.slice(1998));
    await append('train.log', Buffer.byteLength(`${lines.join('\n')}\n`), `no newline at the end ${'~'.repeat(100_000)}`);
    const last = (await server.get(`${logUrl('train.log')}/lines?start=2000&count=5`)).body;
    expect(last.totalLines).toBe(2001);
    expect(last.lines).toEqual([`no newline at the end ${'~'.repeat(65_536 - 22)}…[line cut: 65536 of 100022 bytes shown]`]);
    expect((await server.get(`${logUrl('train.log')}/search?q=warning`)).body).toEqual({ lines: [1234], truncated: false });
    expect((await server.get(`${logUrl('train.log')}/search?q=step&limit=3`)).body).toEqual({ lines: [0, 1, 2], truncated: true });
    const list = (await server.get(`/api/studio/runs/${runId}/logs`)).body.logs.map((l: { name: string }) => l.name);
    expect(list).toEqual(expect.arrayContaining(['std_log.txt', 'train.log']));
  });

  it('downloads the whole log streamed, or one byte range of it: 206, suffix, 416', async () => {
    const text = Array.from({ length: 5000 }, (_, i) => `row ${i} ünïcödé\n`).join('');
    const bytes = Buffer.from(text);
    await append('dl.log', 0, bytes);
    const full = await download('dl.log', { 'accept-encoding': 'gzip' });
    expect(full.statusCode).toBe(200);
    expect(full.rawPayload.equals(bytes)).toBe(true);
    expect(full.headers).toMatchObject({ 'accept-ranges': 'bytes', 'content-length': String(bytes.length), 'x-log-size': String(bytes.length) });
    expect(full.headers['content-encoding']).toBeUndefined();
    expect(full.headers['content-type']).toContain('text/plain');
    const part = await download('dl.log', { range: 'bytes=4-9' });
    expect(part.statusCode).toBe(206);
    expect(part.headers).toMatchObject({ 'content-range': `bytes 4-9/${bytes.length}`, 'content-length': '6' });
    expect(part.rawPayload.equals(bytes.subarray(4, 10))).toBe(true);
    const from = await download('dl.log', { range: `bytes=${bytes.length - 10}-` });
    expect(from.rawPayload.equals(bytes.subarray(-10))).toBe(true);
    const suffix = await download('dl.log', { range: 'bytes=-7' });
    expect(suffix.statusCode).toBe(206);
    expect(suffix.headers['content-range']).toBe(`bytes ${bytes.length - 7}-${bytes.length - 1}/${bytes.length}`);
    expect(suffix.rawPayload.equals(bytes.subarray(-7))).toBe(true);
    const outside = await download('dl.log', { range: `bytes=${bytes.length}-` });
    expect(outside.statusCode).toBe(416);
    expect(outside.headers['content-range']).toBe(`bytes */${bytes.length}`);
    const query = await server.app.inject({ method: 'GET', url: `${logUrl('dl.log')}?from=0&to=5` });
    expect(query.body).toBe('row 0');
    expect(query.headers['content-length']).toBe('5');
    expect((await download('never-written.log')).body).toBe('');
  });

  it('tails a log live over server-sent events, also across a split UTF-8 character', async () => {
    await append('live.txt', 0, 'before\n');
    const tail = await follow(`${server.url}${logUrl('live.txt')}/stream?from=0`);
    expect(tail.headers['content-type']).toContain('text/event-stream');
    expect(await tail.until(() => tail.text() === 'before\n')).toBe('before\n');
    const e = Buffer.from('café\n');
    await append('live.txt', 7, e.subarray(0, 4));
    await append('live.txt', 11, e.subarray(4));
    expect(await tail.until(() => tail.text().length >= 'before\ncafé\n'.length)).toBe('before\ncafé\n');
    expect(tail.events.map((event) => event.data.text)).not.toContain('\uFFFD');
    tail.close();
  });

  it('catches a follower up in events of at most 256 KiB with ids, and resumes from Last-Event-ID', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `${i} — ünïcödé 日本語 🚀 "quoted" ${'x'.repeat(i % 70)}\n`);
    const bytes = Buffer.from(lines.join(''));
    expect(bytes.length).toBeGreaterThan(1.5 * 1024 * 1024);
    for (let at = 0; at < bytes.length; at += 300_001) await append('big.log', at, bytes.subarray(at, at + 300_001));
    const tail = await follow(`${server.url}${logUrl('big.log')}/stream?from=0`);
    await tail.until(() => tail.events.at(-1)?.data.to === bytes.length);
    expect(tail.events.length).toBeGreaterThanOrEqual(6);
    let expectedFrom = 0;
    for (const event of tail.events) {
      expect(event.bytes).toBeLessThanOrEqual(256 * 1024);
      expect(event.id).toBe(String(event.data.to));
      expect(event.data.from).toBe(expectedFrom);
      expectedFrom = event.data.to;
    }
    expect(Buffer.from(tail.text()).equals(bytes)).toBe(true);
    tail.close();

    const resumeAt = tail.events[2]!.data.to;
    const resumed = await follow(`${server.url}${logUrl('big.log')}/stream?from=0`, { 'last-event-id': String(resumeAt) });
    await resumed.until(() => resumed.events.at(-1)?.data.to === bytes.length);
    expect(resumed.events[0]!.data.from).toBe(resumeAt);
    expect(Buffer.from(resumed.text()).equals(bytes.subarray(resumeAt))).toBe(true);
    resumed.close();
  });

  it('sends a new append to every follower of a log', async () => {
    await append('two.log', 0, 'one\n');
    const first = await follow(`${server.url}${logUrl('two.log')}/stream?from=4`);
    const second = await follow(`${server.url}${logUrl('two.log')}/stream?from=0`);
    await second.until(() => second.text() === 'one\n');
    await append('two.log', 4, 'two\n');
    expect(await first.until(() => first.text() === 'two\n')).toBe('two\n');
    expect(await second.until(() => second.text() === 'one\ntwo\n')).toBe('one\ntwo\n');
    first.close();
    second.close();
  });

  it('rejects names that are not plain file names, and unknown runs', async () => {
    for (const name of ['.hidden', '%2e%2e', '..%2Fescape', 'a%00b']) {
      const res = await append(name, 0, 'x');
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      expect(res.status, name).toBeLessThan(500);
    }
    const other = await server.app.inject({ method: 'POST', url: `/api/studio/runs/0123456789abcdef0123456789abcdef/logs/std_log.txt?offset=0`, payload: Buffer.from('x'), headers: octets });
    expect(other.statusCode).toBe(404);
    const badOffset = await server.app.inject({ method: 'POST', url: `${logUrl('std_log.txt')}?offset=-1`, payload: Buffer.from('x'), headers: octets });
    expect(badOffset.statusCode).toBe(400);
    expect(badOffset.json().message).toContain('offset');
  });
});

describe.each(backends())('run logs under operator limits on %s', (backend) => {
  it('refuses a log stream past --max-log-streams with 503 and Retry-After', async () => {
    const server = await listeningServer(backend, { maxLogStreams: 2 });
    try {
      const runId = (await server.post(`${ML}/runs/create`, {})).body.run.info.run_id;
      const url = `${server.url}/api/studio/runs/${runId}/logs/std_log.txt/stream`;
      const open = [await follow(url), await follow(url)];
      const refused = await fetch(url);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      const body = (await refused.json()) as { error_code: string; message: string };
      expect(body.error_code).toBe('TEMPORARILY_UNAVAILABLE');
      expect(body.message).toContain('limit 2');
      open[0]!.close();
      // The server sees the close when the socket ends (no event reaches this client): retry a few times.
      let status = 503;
      for (let attempt = 0; status === 503 && attempt < 50; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20));
        const again = await follow(url);
        status = again.status!;
        again.close();
      }
      expect(status).toBe(200);
    } finally {
      // open[1] is still open: a closing server ends it rather than wait.
      await server.close();
    }
  });

  it('fsyncs appends with --durability full, and they stay byte-exact', async () => {
    const server = await listeningServer(backend, { durability: 'full' });
    try {
      const runId = (await server.post(`${ML}/runs/create`, {})).body.run.info.run_id;
      const url = `/api/studio/runs/${runId}/logs/durable.log`;
      const post = (offset: number, text: string) => server.app.inject({ method: 'POST', url: `${url}?offset=${offset}`, payload: Buffer.from(text), headers: octets });
      expect((await post(0, 'a\n')).json()).toEqual({ size: 2, appended: 2 });
      expect((await post(0, 'a\nb\n')).json()).toEqual({ size: 4, appended: 2 });
      expect((await post(2, 'x\n')).statusCode).toBe(409);
      expect((await server.app.inject({ method: 'GET', url })).body).toBe('a\nb\n');
    } finally {
      await server.close();
    }
  });
});
