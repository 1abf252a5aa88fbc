import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, it } from 'vitest';
import { processTree, readRssBytes } from './proc-tree.js';

it('finds a process and the processes it started, with their CPU time and memory', async () => {
  const parent = spawn(process.execPath, ['-e', `const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' }); console.log(c.pid); setInterval(() => {}, 1000)`], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  try {
    const [chunk] = (await once(parent.stdout, 'data')) as [Buffer];
    const grandchild = Number(chunk.toString().trim());
    const tree = processTree(parent.pid!);
    expect(tree.map((p) => p.pid)).toEqual([parent.pid, grandchild]);
    expect(tree[1]!.ppid).toBe(parent.pid);
    expect(tree.every((p) => p.ticks >= 0 && p.start > 0)).toBe(true);
    expect(readRssBytes(parent.pid!)).toBeGreaterThan(1024 * 1024);
    expect(readRssBytes(2 ** 22 + 1)).toBe(0);
    expect(processTree(2 ** 22 + 1)).toEqual([]);
  } finally {
    process.kill(-parent.pid!, 'SIGKILL');
  }
});
