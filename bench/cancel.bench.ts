import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { fmt, freshDataDir, machine, percentile, root, startServer, type Figure } from './support.js';

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const GRACE_S = 2;

/** A training stand-in: writes its pid, then a line every 100 ms until it is stopped. */
const script = `require('fs').writeFileSync(process.argv[1], String(process.pid)); let i = 0; setInterval(() => console.log('step ' + i++), 100);`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Budget "Cancel clicked → launched process gone ≤ 1 s + the grace period": a process
 * launched by `runstudio run --grace 2s` is cancelled from its run page in Chromium (Cancel,
 * then the dialog's Cancel run); the time runs from the confirming click until its pid is
 * gone. The process exits on SIGTERM, as most training code does.
 */
export async function benchCancel(times = 10): Promise<Figure[]> {
  const dir = freshDataDir('cancel');
  const server = await startServer(dir);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runstudio-cancel-'));
  const gone: number[] = [];
  try {
    const page = await browser.newPage();
    for (let i = 0; i < times; i += 1) {
      const pidFile = path.join(tmp, `pid-${i}`);
      let stderr = '';
      const launcher = spawn(process.execPath, ['bin/runstudio.mjs', 'run', '--tracking-uri', server.url, '--name', `cancel-${i}`, '--grace', `${GRACE_S}s`, '--', process.execPath, '-e', script, pidFile], {
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      launcher.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const runUrl = await until('the run URL', () => /(http:\/\/\S+\/runs\/[0-9a-f]{32})/.exec(stderr)?.[1]);
      const pid = Number(await until('the pid file', () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8')));
      await page.goto(runUrl);
      await page.getByText('Running', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Cancel', exact: true }).click();
      const confirm = page.getByRole('alertdialog').getByRole('button', { name: 'Cancel run' });
      await confirm.waitFor();
      const clicked = performance.now();
      await confirm.click();
      await until('the process to end', () => !alive(pid), 10_000 + GRACE_S * 1000);
      gone.push(performance.now() - clicked);
      await new Promise((resolve) => launcher.once('exit', resolve));
    }
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const max = Math.max(...gone);
  return [
    {
      what: `Cancel clicked → launched process gone (runstudio run, grace ${GRACE_S} s, process exits on SIGTERM): p50 / max of ${times} (ms)`,
      value: `${fmt(percentile(gone, 50), 0)} / ${fmt(max, 0)}`,
      budget: `≤ 1,000 + grace`,
      met: max <= 1000 + GRACE_S * 1000,
    },
  ];
}

// Standalone: `npx tsx bench/cancel.bench.ts`.
if (path.resolve(process.argv[1] ?? '') === import.meta.filename) {
  console.log(`Runstudio cancel bench on ${machine()}`);
  const figures = await benchCancel();
  console.log('\n| what | Runstudio | budget | met |\n| --- | --- | --- | --- |');
  for (const f of figures) console.log(`| ${f.what} | ${f.value} | ${f.budget} | ${f.met === null ? '' : f.met ? 'yes' : '**no**'} |`);
}
