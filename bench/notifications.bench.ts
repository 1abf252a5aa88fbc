import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { benchIngest } from './ingest.bench.js';
import { fmt, freshDataDir, percentile, post, startServer, type Figure } from './support.js';

/** A local webhook receiver that notes when each run's event arrived. */
async function receiver() {
  const arrived = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      const runId = (JSON.parse(body) as { run?: { id: string } }).run?.id;
      if (runId && !arrived.has(runId)) {
        arrived.set(runId, performance.now());
        waiters.get(runId)?.();
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrived,
    /** Resolves when `runId`'s event has arrived. */
    waitFor: (runId: string) => (arrived.has(runId) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(runId, resolve))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const rule = (url: string, events: string[]) => ({ name: `bench ${events.join(',')}`, scope: { kind: 'all' }, events, channel: { kind: 'webhook', url } });

/**
 * What notifications cost and how fast they arrive, on SQLite:
 * - ingest (as `benchIngest`) with no rule, with a rule whose event never happens (every run
 *   FINISHES, the rule asks for FAILED: the outbox check alone), and with a rule on FINISHED
 *   (an outbox row per run, fanned out and posted to a local receiver while ingest goes on);
 * - how long after the last run's end every webhook had arrived;
 * - one run at a time: runs/update answered → its webhook received, p50 and p95.
 */
export async function benchNotifications(runs: number): Promise<Figure[]> {
  const hook = await receiver();
  const rates: Record<'none' | 'idle' | 'every', number[]> = { none: [], idle: [], every: [] };
  let drainMs = 0;
  try {
    for (let round = 0; round < 2; round += 1) {
      for (const mode of ['none', 'idle', 'every'] as const) {
        const server = await startServer(freshDataDir(`notify-${mode}-${round}`));
        try {
          if (mode !== 'none') await post(`${server.url}/api/studio/notifications/rules`, rule(hook.url, mode === 'idle' ? ['FAILED'] : ['FINISHED']));
          const { figures, runIds } = await benchIngest(server.url, runs);
          const ended = performance.now();
          rates[mode].push(Number(figures[1]!.value.replaceAll(',', '')));
          if (mode === 'every') {
            await Promise.all(runIds.map((id) => hook.waitFor(id)));
            drainMs = Math.max(drainMs, Math.max(0, Math.max(...runIds.map((id) => hook.arrived.get(id)!)) - ended));
          }
        } finally {
          await server.stop();
        }
      }
    }
    const latencies: number[] = [];
    const server = await startServer(freshDataDir('notify-latency'));
    try {
      const api = `${server.url}/api/2.0/mlflow`;
      await post(`${server.url}/api/studio/notifications/rules`, rule(hook.url, ['FAILED']));
      for (let i = 0; i < 220; i += 1) {
        const { run } = await post<{ run: { info: { run_id: string } } }>(`${api}/runs/create`, { run_name: `latency-${i}` });
        await post(`${api}/runs/update`, { run_id: run.info.run_id, status: 'FAILED' });
        const answered = performance.now();
        await hook.waitFor(run.info.run_id);
        if (i >= 20) latencies.push(hook.arrived.get(run.info.run_id)! - answered);
      }
    } finally {
      await server.stop();
    }
    const best = (list: number[]) => Math.max(...list);
    return [
      { what: `ingest, ${runs.toLocaleString()} runs, no rule: metric points/s (best of 2)`, value: fmt(best(rates.none), 0), budget: '—', met: null },
      { what: 'ingest with a rule on an event that does not happen (outbox check only) / no rule', value: `${fmt((best(rates.idle) / best(rates.none)) * 100, 0)} %`, budget: '—', met: null },
      { what: 'ingest with a rule on FINISHED (a webhook per run, sent during ingest) / no rule', value: `${fmt((best(rates.every) / best(rates.none)) * 100, 0)} %`, budget: '—', met: null },
      { what: `every webhook of the ${runs.toLocaleString()} runs received, after the last run ended`, value: `${fmt(drainMs, 0)} ms`, budget: '—', met: null },
      { what: 'run failed (runs/update answered) → webhook received, p50', value: `${fmt(percentile(latencies, 50))} ms`, budget: '—', met: null },
      { what: 'run failed (runs/update answered) → webhook received, p95', value: `${fmt(percentile(latencies, 95))} ms`, budget: '—', met: null },
    ];
  } finally {
    await hook.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchNotifications(Number(process.env.BENCH_RUNS ?? 5000));
  console.log('\n| what | Runstudio | budget | met |\n| --- | --- | --- | --- |');
  for (const f of figures) console.log(`| ${f.what} | ${f.value} | ${f.budget} | |`);
}
