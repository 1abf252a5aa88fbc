import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ML, openTestDb, type TestDb } from '../../test-support/backends.js';
import { s3TestServer } from '../../test-support/s3.js';
import { sseStream } from '../../test-support/sse.js';
import { useS3 } from '../../test-support/use-s3.js';

const octets = { 'content-type': 'application/octet-stream' };

const s3 = useS3();

describe.each(backends())('run logs in an S3 bucket, two replicas over one %s database', (backend) => {
  let store: TestDb;
  let a: Awaited<ReturnType<typeof s3TestServer>>;
  let b: Awaited<ReturnType<typeof s3TestServer>>;
  let runId: string;
  beforeAll(async () => {
    store = await openTestDb(backend);
    a = await s3TestServer(backend, s3(), `logs-${backend}`, { db: store.db });
    b = await s3TestServer(backend, s3(), `logs-${backend}`, { db: store.db });
    runId = (await a.post(`${ML}/runs/create`, {})).body.run.info.run_id;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await store?.cleanup();
  });

  const logUrl = (name: string) => `/api/studio/runs/${runId}/logs/${name}`;
  const append = async (server: typeof a, name: string, offset: number, text: string) => {
    const res = await server.app.inject({ method: 'POST', url: `${logUrl(name)}?offset=${offset}`, payload: Buffer.from(text), headers: octets });
    return { status: res.statusCode, body: res.json<Record<string, any>>() };
  };

  it('appends on either replica in one byte order; a gap or other bytes are a 409 with the size', async () => {
    expect(await append(a, 'std_log.txt', 0, 'line 1\n')).toEqual({ status: 200, body: { size: 7, appended: 7 } });
    expect(await append(b, 'std_log.txt', 7, 'line 2\n')).toEqual({ status: 200, body: { size: 14, appended: 7 } });
    expect(await append(a, 'std_log.txt', 7, 'line 2\nline 3\n')).toEqual({ status: 200, body: { size: 21, appended: 7 } });
    const gap = await append(b, 'std_log.txt', 30, 'late\n');
    expect(gap).toMatchObject({ status: 409, body: { error_code: 'RESOURCE_CONFLICT', size: 21 } });
    const other = await append(b, 'std_log.txt', 14, 'LINE 3\n');
    expect(other).toMatchObject({ status: 409, body: { error_code: 'RESOURCE_CONFLICT', size: 21 } });
    for (const server of [a, b]) {
      const download = await server.app.inject({ method: 'GET', url: logUrl('std_log.txt') });
      expect(download.body).toBe('line 1\nline 2\nline 3\n');
      expect(download.headers['x-log-size']).toBe('21');
      const range = await server.app.inject({ method: 'GET', url: logUrl('std_log.txt'), headers: { range: 'bytes=7-13' } });
      expect(range.statusCode).toBe(206);
      expect(range.body).toBe('line 2\n');
    }
  });

  it("serves lines, search and the list on B from A's appends", async () => {
    const text = Array.from({ length: 500 }, (_, i) => `step ${i}${i === 321 ? ' WARNING' : ''}`).join('\n') + '\n';
    expect((await append(a, 'train.log', 0, text)).status).toBe(200);
    expect((await b.get(`${logUrl('train.log')}/lines?start=320&count=2`)).body).toEqual({ totalLines: 500, size: text.length, start: 320, lines: ['step 320', 'step 321 WARNING'] });
    expect((await b.get(`${logUrl('train.log')}/search?q=warning`)).body).toEqual({ lines: [321], truncated: false });
    expect((await b.get(`/api/studio/runs/${runId}/logs`)).body.logs).toEqual([
      { name: 'std_log.txt', size: 21 },
      { name: 'train.log', size: text.length },
    ]);
  });

  it("streams A's appends live to a follower on B, which hears of them through the run events", async () => {
    await b.app.listen({ host: '127.0.0.1', port: 0 });
    const address = b.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    expect((await append(a, 'live.log', 0, 'before\n')).status).toBe(200);
    const tail = await sseStream(`http://127.0.0.1:${port}${logUrl('live.log')}/stream`);
    try {
      const text = () => tail.events.map((e) => (e.data as { text?: string }).text ?? '').join('');
      await tail.next(() => text().includes('before\n'));
      expect((await append(a, 'live.log', 7, 'after\n')).status).toBe(200);
      await tail.next(() => text().includes('after\n'));
      expect(text()).toBe('before\nafter\n');
    } finally {
      tail.close();
    }
  });
});
