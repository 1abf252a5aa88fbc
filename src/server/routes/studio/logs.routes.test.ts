import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, listeningServer, ML } from '../../test-support/backends.js';

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

  const append = async (name: string, offset: number, text: string | Buffer) => {
    const res = await server.app.inject({ method: 'POST', url: `/api/studio/runs/${runId}/logs/${name}?offset=${offset}`, payload: Buffer.from(text), headers: { 'content-type': 'application/octet-stream' } });
    return { status: res.statusCode, body: res.json() as Record<string, any> };
  };
  const whole = async (name: string) => (await server.app.inject({ method: 'GET', url: `/api/studio/runs/${runId}/logs/${name}` })).body;

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

  it('serves byte ranges, windows of lines with the total, and search', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `step ${i} loss=${(1 / (i + 1)).toFixed(4)}${i === 1234 ? ' WARNING spike' : ''}`);
    await append('train.log', 0, `${lines.join('\n')}\n`);
    const range = await server.app.inject({ method: 'GET', url: `/api/studio/runs/${runId}/logs/train.log?from=0&to=6` });
    expect(range.body).toBe('step 0');
    expect(range.headers['content-type']).toContain('text/plain');
    const window = (await server.get(`/api/studio/runs/${runId}/logs/train.log/lines?start=1230&count=5`)).body;
    expect(window).toMatchObject({ totalLines: 2000, start: 1230 });
    expect(window.lines).toEqual(lines.slice(1230, 1235));
    const tail = (await server.get(`/api/studio/runs/${runId}/logs/train.log/lines?start=1998&count=500`)).body;
    expect(tail.lines).toEqual(lines.slice(1998));
    await append('train.log', Buffer.byteLength(`${lines.join('\n')}\n`), 'no newline at the end');
    const last = (await server.get(`/api/studio/runs/${runId}/logs/train.log/lines?start=2000&count=5`)).body;
    expect(last).toMatchObject({ totalLines: 2001, lines: ['no newline at the end'] });
    expect((await server.get(`/api/studio/runs/${runId}/logs/train.log/search?q=warning`)).body).toEqual({ lines: [1234], truncated: false });
    expect((await server.get(`/api/studio/runs/${runId}/logs/train.log/search?q=step&limit=3`)).body).toEqual({ lines: [0, 1, 2], truncated: true });
    const list = (await server.get(`/api/studio/runs/${runId}/logs`)).body.logs.map((l: { name: string }) => l.name);
    expect(list).toEqual(expect.arrayContaining(['std_log.txt', 'train.log']));
  });

  it('tails a log live over server-sent events, also across a split UTF-8 character', async () => {
    await append('live.txt', 0, 'before\n');
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/studio/runs/${runId}/logs/live.txt/stream?from=0`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const textSoFar = () =>
      received
        .split('\n\n')
        .filter((e) => e.startsWith('event: append'))
        .map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)).text)
        .join('');
    const readUntil = async (expected: string) => {
      const deadline = Date.now() + 3000;
      while (!textSoFar().includes(expected) && Date.now() < deadline) {
        const { value } = await reader.read();
        received += decoder.decode(value, { stream: true });
      }
      return textSoFar();
    };
    expect(await readUntil('before\n')).toBe('before\n');
    const e = Buffer.from('café\n');
    await append('live.txt', 7, e.subarray(0, 4));
    await append('live.txt', 11, e.subarray(4));
    expect(await readUntil('café\n')).toBe('before\ncafé\n');
    controller.abort();
  });

  it('rejects names that are not plain file names, and unknown runs', async () => {
    for (const name of ['.hidden', '%2e%2e', '..%2Fescape', 'a%00b']) {
      const res = await append(name, 0, 'x');
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      expect(res.status, name).toBeLessThan(500);
    }
    const other = await server.app.inject({ method: 'POST', url: `/api/studio/runs/0123456789abcdef0123456789abcdef/logs/std_log.txt?offset=0`, payload: Buffer.from('x') });
    expect(other.statusCode).toBe(404);
    const badOffset = await server.app.inject({ method: 'POST', url: `/api/studio/runs/${runId}/logs/std_log.txt?offset=-1`, payload: Buffer.from('x') });
    expect(badOffset.statusCode).toBe(400);
    expect(badOffset.json().message).toContain('offset');
  });
});
