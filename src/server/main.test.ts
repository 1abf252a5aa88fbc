import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

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
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
