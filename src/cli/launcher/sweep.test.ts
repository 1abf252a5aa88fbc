import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildRunsPage } from '../../shared/studio/runs.js';
import { listeningServer } from '../../server/test-support/backends.js';
import { api, eventually, fixture, goneWithin, startLauncher } from './fixtures/harness.js';

let server: Awaited<ReturnType<typeof listeningServer>>;
let client: ReturnType<typeof api>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-sweep-test-'));

beforeAll(async () => {
  server = await listeningServer('sqlite');
  client = api(server.url);
});
afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const children = async (parent: string) => (await client.json<ChildRunsPage>(`/api/studio/runs/${parent}/children`)).runs;
const events = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [kind, name, pid] = line.split(' ');
      return { kind: kind!, name: name!, pid: Number(pid) };
    });

describe('runstudio sweep', () => {
  it('runs a grid of 4 two at a time, and Cancel on the parent ends every process', async () => {
    const log = path.join(tmp, 'events.txt');
    fs.writeFileSync(log, '');
    // lr=0.1 batch=32 ends after 300 ms; the others run until stopped.
    const args = ['--param', 'lr=0.1,0.01', '--param', 'batch=32,64', '--parallel', '2', '--grace', '1s'];
    const launcher = startLauncher(['sweep', '--tracking-uri', server.url, '--experiment', 'sweeps', ...args, '--', 'node', fixture('sweep-child.mjs'), log, '0.1:32', '--lr', '{lr}', '--batch', '{batch}']);
    const parent = await launcher.runId;
    await eventually(() => events(log).filter((e) => e.kind === 'start').length, (n) => n >= 3);
    const started = events(log);
    // The third child started only after the first ended: never more than two at once.
    const order = started.map((e) => `${e.kind} ${e.name}`);
    expect(order.slice(0, 2).sort()).toEqual(['start 0.1:32', 'start 0.1:64']);
    expect(order.slice(2)).toEqual(['end 0.1:32', 'start 0.01:32']);
    const running = started.filter((e) => e.kind === 'start' && e.name !== '0.1:32').map((e) => e.pid);
    await eventually(() => children(parent), (runs) => runs.filter((r) => r.status === 'RUNNING').length === 2);
    const asked = Date.now();
    await client.cancel(parent);
    await Promise.all(running.map((pid) => goneWithin(pid, 3000 + 1000)));
    console.log(`sweep cancel → both processes gone: ${Date.now() - asked} ms`);
    expect((await launcher.exit).code).toBe(1);
    expect(await client.status(parent)).toBe('KILLED');
    const byName = Object.fromEntries((await children(parent)).map((r) => [r.runName, r]));
    expect(Object.fromEntries(Object.entries(byName).map(([name, r]) => [name, r.status]))).toEqual({
      'lr=0.1 batch=32': 'FINISHED',
      'lr=0.1 batch=64': 'KILLED',
      'lr=0.01 batch=32': 'KILLED',
      'lr=0.01 batch=64': 'KILLED',
    });
    expect(byName['lr=0.01 batch=64']!.params).toEqual({ lr: '0.01', batch: '64' });
    expect(byName['lr=0.01 batch=64']!.tags['runstudio.launch.command']).toBe(`node ${fixture('sweep-child.mjs')} ${log} 0.1:32 --lr 0.01 --batch 64`);
    // The queued child never started.
    expect(events(log).filter((e) => e.kind === 'start')).toHaveLength(3);
  });

  it('ends the parent FAILED and exits 1 when a child fails, FINISHED and 0 when all finish', async () => {
    const sweep = (codes: string) =>
      startLauncher(['sweep', '--tracking-uri', server.url, '--param', `code=${codes}`, '--parallel', '2', '--', 'node', fixture('exit-with.mjs'), '{code}']);
    const failing = sweep('0,3');
    const passing = sweep('0,0');
    const [failed, passed] = await Promise.all([failing.runId, passing.runId]);
    expect((await failing.exit).code).toBe(1);
    expect((await passing.exit).code).toBe(0);
    expect(await client.status(failed)).toBe('FAILED');
    expect(await client.status(passed)).toBe('FINISHED');
    expect((await children(failed)).map((r) => r.status).sort()).toEqual(['FAILED', 'FINISHED']);
    expect(failing.stdout()).toMatch(/^\[code=3\] MLFLOW_RUN_ID=[0-9a-f]{32}$/m);
  });
});
