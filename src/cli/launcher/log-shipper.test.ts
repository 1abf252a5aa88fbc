import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiClient } from '../api-client.js';
import { listeningServer } from '../../server/test-support/backends.js';
import { LogShipper } from './log-shipper.js';
import { Spool } from './spool.js';

let server: Awaited<ReturnType<typeof listeningServer>>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-shipper-test-'));

beforeAll(async () => {
  server = await listeningServer('sqlite');
});
afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function newRun(): Promise<string> {
  return (await server.post('/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info.run_id as string;
}

/** The real client, with appends counted and the first `failures` of them answered 503. */
function flakyClient(failures: number): ApiClient & { appends: number } {
  const real = apiClient(server.url);
  const client = {
    ...real,
    appends: 0,
    async fetch(p: string, init?: RequestInit) {
      if (init?.method === 'POST') {
        client.appends++;
        if (failures-- > 0) return new Response('{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}', { status: 503 });
      }
      return real.fetch(p, init);
    },
  };
  return client;
}

const storedLog = async (runId: string) => (await fetch(`${server.url}/api/studio/runs/${runId}/logs/std_log.txt`)).text();

describe('LogShipper', () => {
  it('sends many small writes in a few appends, in order', async () => {
    const runId = await newRun();
    const api = flakyClient(0);
    const shipper = new LogShipper({ api, runId, spool: new Spool(path.join(tmp, `${runId}.log`)), warn: () => undefined });
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}\n`);
    for (const line of lines) shipper.write(Buffer.from(line));
    expect(await shipper.close(Date.now() + 5000)).toEqual({ unsent: 0, spoolFile: null });
    expect(await storedLog(runId)).toBe(lines.join(''));
    expect(api.appends).toBeLessThanOrEqual(2);
  });

  it('spools to a file while the server answers 5xx, then sends it all once', async () => {
    const runId = await newRun();
    const file = path.join(tmp, `${runId}.log`);
    const warnings: string[] = [];
    const shipper = new LogShipper({ api: flakyClient(3), runId, spool: new Spool(file), warn: (m) => warnings.push(m), flushMs: 10 });
    shipper.write(Buffer.from('first\n'));
    await expect.poll(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8')).toBe('first\n');
    shipper.write(Buffer.from('second\n'));
    expect(fs.readFileSync(file, 'utf8')).toBe('first\nsecond\n');
    await shipper.close(Date.now() + 10_000);
    expect(await storedLog(runId)).toBe('first\nsecond\n');
    expect(fs.existsSync(file)).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/cannot reach the server/), expect.stringMatching(/server is back/)]);
  });

  it('goes on after bytes another writer appended, and says so', async () => {
    const runId = await newRun();
    await fetch(`${server.url}/api/studio/runs/${runId}/logs/std_log.txt?offset=0`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'theirs\n' });
    const warnings: string[] = [];
    const shipper = new LogShipper({ api: apiClient(server.url), runId, spool: new Spool(path.join(tmp, `${runId}.log`)), warn: (m) => warnings.push(m) });
    shipper.write(Buffer.from('ours\n'));
    await shipper.close(Date.now() + 5000);
    expect(await storedLog(runId)).toBe('theirs\nours\n');
    expect(warnings).toEqual([expect.stringMatching(/another writer/)]);
  });

  it('keeps what it could not send in the spool file and says where', async () => {
    const runId = await newRun();
    const file = path.join(tmp, `${runId}.log`);
    const shipper = new LogShipper({ api: apiClient('http://127.0.0.1:1'), runId, spool: new Spool(file), warn: () => undefined });
    shipper.write(Buffer.from('kept\n'));
    expect(await shipper.close(Date.now() + 300)).toEqual({ unsent: 5, spoolFile: file });
    expect(fs.readFileSync(file, 'utf8')).toBe('kept\n');
  });
});
