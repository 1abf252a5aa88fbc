import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fmt, freshDataDir, machine, percentile, post, startServer, type Figure } from './support.js';

const MB = 1024 * 1024;
const logSize = Number(process.env.BENCH_LOG_MB ?? 1024) * MB;

/** The server process's resident memory now and at its peak (VmHWM), from /proc. */
function memory(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Starts a new peak (VmHWM) at the current RSS: Linux's clear_refs 5. */
function resetPeak(pid: number): void {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} -> ${res.status}`);
  return (await res.json()) as T;
}

/** Appends ~40-byte lines in 8 MB requests until the log has `bytes`; returns the size and line count. */
async function fillLog(url: string, bytes: number): Promise<{ size: number; lines: number }> {
  let offset = 0;
  let n = 0;
  while (offset < bytes) {
    const lines: string[] = [];
    for (let size = 0; size < 8 * MB - 64; n += 1) {
      const line = `${n} step=${n} loss=${(1 / (n + 1)).toFixed(8)}\n`;
      lines.push(line);
      size += line.length;
    }
    const body = Buffer.from(lines.join(''));
    const res = await fetch(`${url}?offset=${offset}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
    if (!res.ok) throw new Error(`append ${res.status} ${await res.text()}`);
    offset += body.length;
  }
  return { size: offset, lines: n };
}

async function newRun(url: string, name: string): Promise<string> {
  return (await post<{ run: { info: { run_id: string } } }>(`${url}/api/2.0/mlflow/runs/create`, { run_name: name })).run.info.run_id;
}

type Lines = { totalLines: number; lines: string[] };

/**
 * Budget "a 1 GB log of short lines: server memory growth when opened ≤ 64 MB": the log is
 * appended through the API, then opened (first window, last window) in the server that
 * wrote it, and again after a restart, when the index is rebuilt from the file.
 */
export async function benchLogGigabyte(): Promise<Figure[]> {
  const dir = freshDataDir('log-scale');
  let server = await startServer(dir);
  const figures: Figure[] = [];
  const grown = (before: { rss: number }, after: { rss: number; peak: number }) => `${fmt((after.rss - before.rss) / MB)} / ${fmt((after.peak - before.rss) / MB)}`;
  try {
    const runId = await newRun(server.url, 'log-scale');
    const log = `/api/studio/runs/${runId}/logs/std_log.txt`;
    const t0 = performance.now();
    const { size, lines } = await fillLog(`${server.url}${log}`, logSize);
    const appendS = (performance.now() - t0) / 1000;
    const label = `a ${fmt(size / 2 ** 30, 2)} GB log of ${lines.toLocaleString('en-US')} lines`;
    figures.push({ what: `${label}: appended through the API in 8 MB requests (MB/s)`, value: fmt(size / MB / appendS, 0), budget: '—', met: null });

    const open = async (what: string) => {
      const pid = server.child.pid!;
      const before = memory(pid);
      resetPeak(pid);
      const started = performance.now();
      const reads = await Promise.all([0, Math.floor(lines / 2), lines - 500, 0].map((start) => json<Lines>(`${server.url}${log}/lines?start=${start}&count=500`)));
      const firstMs = performance.now() - started;
      if (reads[0]!.totalLines !== lines || reads[2]!.lines.at(-1) !== `${lines - 1} step=${lines - 1} loss=${(1 / lines).toFixed(8)}`) throw new Error('wrong lines');
      const t1 = performance.now();
      await json<Lines>(`${server.url}${log}/lines?start=${lines - 500}&count=500`);
      const endMs = performance.now() - t1;
      const after = memory(pid);
      const growth = (after.peak - before.rss) / MB;
      figures.push(
        { what: `${label}, ${what}: 4 concurrent windows of 500 lines (start, middle, end, start) to all answered (ms)`, value: fmt(firstMs, 0), budget: '"at once"', met: null },
        { what: `${label}, ${what}: then the last 500 lines (ms)`, value: fmt(endMs, 1), budget: '—', met: null },
        { what: `${label}, ${what}: server memory growth while opened, RSS / peak (MB)`, value: grown(before, after), budget: '≤ 64', met: growth <= 64 },
      );
    };
    await open('in the server that wrote it (index built while appending)');
    await server.stop();
    server = await startServer(dir);
    // A new process warms up first (code paths, the database), so only the log's own cost is counted.
    await json(`${server.url}/api/2.0/mlflow/experiments/get?experiment_id=0`);
    await json(`${server.url}/api/studio/runs/${runId}/logs/warm-up.txt/lines`);
    await open('after a restart (index built from the file)');
    const pid = server.child.pid!;
    const before = memory(pid);
    resetPeak(pid);
    const t2 = performance.now();
    const found = await json<{ lines: number[] }>(`${server.url}${log}/search?q=no-such-word`);
    if (found.lines.length !== 0) throw new Error('search found a missing word');
    figures.push({ what: `${label}: search for a missing word (reads it all): ms, and memory growth RSS / peak (MB)`, value: `${fmt(performance.now() - t2, 0)}; ${grown(before, memory(pid))}`, budget: '—', met: null });
    return figures;
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A follower of a live tail over plain HTTP; `onId` gets each event id (the byte offset received). */
function follower(url: string, onId: (id: number) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`stream ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const match of chunk.matchAll(/^id: (\d+)$/gm)) onId(Number(match[1]));
      });
      resolve(() => res.destroy());
    });
    req.on('error', reject);
  });
}

/**
 * Budget "log line appended → delivered, also with 1,000 followers": 1,000 live tails of a
 * 100 MB log from its end, held by this process; single lines are appended and timed until
 * every follower has them, while another client times GET experiments/get in a loop.
 */
export async function benchLogFollowers(count = 1000): Promise<Figure[]> {
  const dir = freshDataDir('log-followers');
  const server = await startServer(dir);
  const closers: Array<() => void> = [];
  try {
    const runId = await newRun(server.url, 'log-followers');
    const log = `${server.url}/api/studio/runs/${runId}/logs/std_log.txt`;
    let { size } = await fillLog(log, 100 * MB);
    // Each append waits until `remaining` followers have an event id at or past its end.
    let target = Infinity;
    let remaining = 0;
    let allDelivered: () => void = () => undefined;
    const onId = (id: number) => {
      if (id >= target && --remaining === 0) allDelivered();
    };
    for (let i = 0; i < count; i += 1) closers.push(await follower(`${log}/stream?from=${size}`, onId));
    const rssFollowing = memory(server.child.pid!).rss;

    let stop = false;
    const other: number[] = [];
    const probe = (async () => {
      while (!stop) {
        const t = performance.now();
        await json(`${server.url}/api/2.0/mlflow/experiments/get?experiment_id=0`);
        other.push(performance.now() - t);
      }
    })();
    const delivered: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const line = Buffer.from(`live line ${i} at ${Date.now()}\n`);
      const t = performance.now();
      const all = new Promise<void>((done) => (allDelivered = done));
      target = size + line.length;
      remaining = count;
      const res = await fetch(`${log}?offset=${size}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: line });
      if (!res.ok) throw new Error(`append ${res.status}`);
      size += line.length;
      await all;
      delivered.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    stop = true;
    await probe;
    const p95 = percentile(delivered, 95);
    const otherP95 = percentile(other, 95);
    return [
      { what: `${count.toLocaleString('en-US')} SSE followers of a 100 MB log: line appended → delivered to all, p50 / p95 of 20, 100 ms apart (ms)`, value: `${fmt(percentile(delivered, 50), 0)} / ${fmt(p95, 0)}`, budget: '≤ 1,000', met: p95 <= 1000 },
      { what: `meanwhile GET experiments/get in a loop: p50 / p95 of ${other.length} (ms)`, value: `${fmt(percentile(other, 50), 1)} / ${fmt(otherP95, 1)}`, budget: '≤ 100', met: otherP95 <= 100 },
      { what: `server RSS with ${count.toLocaleString('en-US')} followers open (MB)`, value: fmt(rssFollowing / MB, 0), budget: '—', met: null },
    ];
  } finally {
    for (const close of closers) close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Standalone: `npx tsx bench/log-scale.bench.ts` (BENCH_LOG_MB=256 for a quicker look).
if (path.resolve(process.argv[1] ?? '') === import.meta.filename) {
  console.log(`Runstudio log-scale bench on ${machine()}`);
  const figures = [...(await benchLogGigabyte()), ...(await benchLogFollowers())];
  console.log('\n| what | Runstudio | budget | met |\n| --- | --- | --- | --- |');
  for (const f of figures) console.log(`| ${f.what} | ${f.value} | ${f.budget} | ${f.met === null ? '' : f.met ? 'yes' : '**no**'} |`);
}
