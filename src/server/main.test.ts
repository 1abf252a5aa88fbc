import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkBind, isLoopback, serve, ServeRefused } from './main.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Starts `serve` in a child process the way the CLI does, and waits for its URL. */
function startServer(dataDir: string) {
  const script = `import { main } from './src/cli/main.ts'; await main(['node', 'runstudio', 'serve', '--port', '0', '--data', ${JSON.stringify(dataDir)}], process.cwd());`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { child, url, output: () => output };
}

describe('runstudio serve', () => {
  it('binds 127.0.0.1, keeps SQLite in WAL mode under --data, and stops cleanly on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-serve-'));
    const server = startServer(dataDir);
    const url = await server.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/api/2.0/mlflow/experiments/get?experiment_id=0`);
    expect(((await res.json()) as { experiment: { name: string } }).experiment.name).toBe('Default');
    const exited = new Promise<number | null>((resolve) => server.child.on('exit', resolve));
    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(server.output()).toContain('SIGTERM received');
    const db = new Database(path.join(dataDir, 'runstudio.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(fs.existsSync(path.join(dataDir, 'blobs'))).toBe(true);
    // Password hashes and session ids live in the store: nobody but its owner reads it.
    expect(fs.statSync(path.join(dataDir, 'runstudio.db')).mode & 0o777).toBe(0o600);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('binding without sign-in', () => {
  it('knows loopback addresses from the rest', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', 'example.com', '128.0.0.1', '::ffff:10.0.0.1']) expect(isLoopback(host), host).toBe(false);
  });

  it('refuses a non-loopback address in local mode before opening anything, naming both flags and why', async () => {
    const dataDir = path.join(os.tmpdir(), `runstudio-refused-${process.pid}-${Date.now()}`);
    const refused = serve({ host: '0.0.0.0', port: 0, dataDir, webRoot: null });
    await expect(refused).rejects.toBeInstanceOf(ServeRefused);
    await expect(refused).rejects.toThrow(/--auth.*--insecure-no-auth/s);
    await expect(refused).rejects.toThrow('anyone who can reach this address could change or delete every run');
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(() => checkBind('0.0.0.0', 'team', false)).not.toThrow();
    expect(() => checkBind('0.0.0.0', 'local', true)).not.toThrow();
    expect(() => checkBind('127.0.0.1', 'local', false)).not.toThrow();
  });

  it('listens on 0.0.0.0 with --insecure-no-auth, and in team mode says when no admin exists yet', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-bind-'));
    const open = await serve({ host: '0.0.0.0', port: 0, dataDir, webRoot: null, insecureNoAuth: true });
    expect(open.needsFirstAdmin).toBe(false);
    await open.close();
    const team = await serve({ host: '0.0.0.0', port: 0, dataDir, webRoot: null, options: { auth: 'team' } });
    expect(team.needsFirstAdmin).toBe(true);
    const port = new URL(team.url).port;
    expect((await fetch(`http://127.0.0.1:${port}/api/studio/auth/session`)).status).toBe(200);
    await team.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
