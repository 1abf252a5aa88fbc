/**
 * System metrics: the names MLflow's `enable_system_metrics_logging` writes (and
 * `runstudio run` writes the same), shown as their own group with a title a person reads.
 */
export const SYSTEM_PREFIX = 'system/';

export const isSystemMetric = (key: string) => key.startsWith(SYSTEM_PREFIX);

const units: Array<[suffix: string, unit: string]> = [
  ['_percentage', '%'],
  ['_megabytes', 'MB'],
  ['_watts', 'W'],
];

const named: Record<string, string> = {
  cpu_utilization: 'CPU utilization',
  system_memory_usage: 'Memory used',
  disk_usage: 'Disk used',
  disk_available: 'Disk available',
  network_receive: 'Network received',
  network_transmit: 'Network sent',
};

const gpuNamed: Record<string, string> = {
  utilization: 'utilization',
  memory_usage: 'memory used',
  power_usage: 'power',
};

/** "system/cpu_utilization_percentage" → "CPU utilization (%)"; unknown names are made readable. */
export function systemMetricTitle(key: string): string {
  let name = isSystemMetric(key) ? key.slice(SYSTEM_PREFIX.length) : key;
  let unit = '';
  for (const [suffix, u] of units) {
    if (name.endsWith(suffix)) {
      name = name.slice(0, -suffix.length);
      unit = ` (${u})`;
      break;
    }
  }
  const gpu = /^gpu_(\d+)_(.+)$/.exec(name);
  if (gpu) return `GPU ${gpu[1]} ${gpuNamed[gpu[2]!] ?? gpu[2]!.replaceAll('_', ' ')}${unit}`;
  const title = named[name] ?? name.replaceAll('_', ' ');
  return `${title.charAt(0).toUpperCase()}${title.slice(1)}${unit}`;
}

/** The run's own metrics first, then the system ones, each in the order given. */
export function groupMetricKeys(keys: string[]): { own: string[]; system: string[] } {
  return { own: keys.filter((k) => !isSystemMetric(k)), system: keys.filter(isSystemMetric) };
}
