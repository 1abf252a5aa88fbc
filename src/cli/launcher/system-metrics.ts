import os from 'node:os';
import type { ApiClient } from '../api-client.js';
import type { Metric } from '../../shared/mlflow/types.js';
import { readGpus } from './gpu.js';
import { processTree, readRssBytes, TICKS_PER_SECOND } from './proc-tree.js';

/** Every 10 s unless RUNSTUDIO_SYSTEM_METRICS_INTERVAL_MS says otherwise. */
export function systemMetricsIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.RUNSTUDIO_SYSTEM_METRICS_INTERVAL_MS);
  return Number.isFinite(value) && value > 0 ? value : 10_000;
}

/** Samples kept while the server is away: one log-batch takes at most 1,000 metrics. */
const MAX_PENDING = 990;

/**
 * Samples the launched process tree (CPU %, resident memory) and the GPUs, and logs them
 * under MLflow's system metric names, step = sample index. CPU % is the tree's share of
 * the whole machine (100 = every core busy), as MLflow's own figure is.
 */
export function startSystemMetrics(api: ApiClient, runId: string, rootPid: number, intervalMs: number): { stop: () => Promise<void> } {
  const cores = os.availableParallelism();
  let last = new Map<string, number>();
  let lastAt = Date.now();
  let step = 0;
  let gpus = true;
  let pending: Metric[] = [];
  let sending: Promise<void> = Promise.resolve();

  const cpuTicks = () => {
    const now = new Map<string, number>();
    let delta = 0;
    for (const proc of processTree(rootPid)) {
      const key = `${proc.pid}:${proc.start}`;
      now.set(key, proc.ticks);
      delta += Math.max(0, proc.ticks - (last.get(key) ?? 0));
    }
    last = now;
    return { delta, pids: [...now.keys()].map((key) => Number(key.split(':')[0])) };
  };
  cpuTicks();

  const sample = async () => {
    const at = Date.now();
    const { delta, pids } = cpuTicks();
    if (pids.length === 0) return;
    const seconds = Math.max(0.001, (at - lastAt) / 1000);
    lastAt = at;
    const rss = pids.reduce((sum, pid) => sum + readRssBytes(pid), 0);
    const values: Record<string, number> = {
      'system/cpu_utilization_percentage': round((delta / TICKS_PER_SECOND / seconds / cores) * 100),
      'system/system_memory_usage_megabytes': round(rss / 1024 / 1024),
      'system/system_memory_usage_percentage': round((rss / os.totalmem()) * 100),
    };
    const gpuSamples = gpus ? await readGpus() : null;
    if (gpuSamples === null) gpus = false;
    for (const gpu of gpuSamples ?? []) {
      values[`system/gpu_${gpu.index}_utilization_percentage`] = gpu.utilizationPercent;
      values[`system/gpu_${gpu.index}_memory_usage_megabytes`] = gpu.memoryUsedMegabytes;
    }
    pending.push(...Object.entries(values).map(([key, value]) => ({ key, value, timestamp: at, step })));
    step++;
    pending = pending.slice(-MAX_PENDING);
    await send();
  };

  const send = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    try {
      await api.json(`/api/2.0/mlflow/runs/log-batch`, { body: { run_id: runId, metrics: batch }, signal: AbortSignal.timeout(10_000) });
      pending = pending.slice(batch.length);
    } catch {
      // Kept for the next sample: the server may be restarting.
    }
  };

  // A sample still sending (a slow server) makes the next one wait its turn, not pile up.
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    sending = sample()
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, intervalMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await sending;
    },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
