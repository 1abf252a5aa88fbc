import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { serve } from '../../server/main.js';
import { api, consecutive, fixture, goneWithin, startLauncher, tickerLines } from './fixtures/harness.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-restart-test-'));
const spoolHome = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-restart-spool-'));
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(spoolHome, { recursive: true, force: true });
});

const start = (port: number) => serve({ host: '127.0.0.1', port, dataDir, webRoot: null });

it('keeps every log line exactly once across a server restart in the middle of a run, and still hears Cancel', async () => {
  let server = await start(0);
  const url = server.url;
  const port = Number(new URL(url).port);
  // A line every 50 ms.
  const launcher = startLauncher(['run', '--tracking-uri', url, '--', 'node', fixture('ticker.mjs'), 'Infinity', '50'], { XDG_CACHE_HOME: spoolHome });
  const runId = await launcher.runId;
  const pid = Number((await launcher.waitFor(/^pid (\d+)$/m))[1]);
  await launcher.waitFor(/^line 5$/m);
  await server.close();
  // The process goes on printing while the server is away; its output waits in the spool.
  await launcher.waitFor(/cannot reach the server; log output is kept in (.*)/, 'stderr');
  await launcher.waitFor(/^line 20$/m);
  server = await start(port);
  try {
    await launcher.waitFor(/the server is back/, 'stderr');
    await launcher.waitFor(/^line 40$/m);
    const client = api(url);
    await client.cancel(runId);
    await goneWithin(pid, 3000 + 10_000);
    expect((await launcher.exit).code).toBe(143);
    expect(await client.status(runId)).toBe('KILLED');
    const log = await client.log(runId);
    expect(log).toBe(launcher.stdout());
    expect(tickerLines(log).length).toBeGreaterThan(40);
    expect(consecutive(tickerLines(log))).toBe(true);
    expect(fs.readdirSync(path.join(spoolHome, 'runstudio', 'spool'))).toEqual([]);
  } finally {
    await server.close();
  }
});
