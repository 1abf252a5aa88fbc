import { describe, expect, it } from 'vitest';
import { groupMetricKeys, systemMetricTitle } from './system-metrics.js';

describe('system metric titles', () => {
  it.each([
    ['system/cpu_utilization_percentage', 'CPU utilization (%)'],
    ['system/system_memory_usage_megabytes', 'Memory used (MB)'],
    ['system/system_memory_usage_percentage', 'Memory used (%)'],
    ['system/gpu_0_utilization_percentage', 'GPU 0 utilization (%)'],
    ['system/gpu_1_memory_usage_megabytes', 'GPU 1 memory used (MB)'],
    ['system/gpu_0_power_usage_watts', 'GPU 0 power (W)'],
    ['system/disk_available_megabytes', 'Disk available (MB)'],
    ['system/network_transmit_megabytes', 'Network sent (MB)'],
    ['system/open_file_handles', 'Open file handles'],
  ])('%s reads "%s"', (key, title) => {
    expect(systemMetricTitle(key)).toBe(title);
  });

  it('puts system metrics after the run’s own, keeping each order', () => {
    expect(groupMetricKeys(['loss', 'system/cpu_utilization_percentage', 'acc', 'system/gpu_0_utilization_percentage'])).toEqual({
      own: ['loss', 'acc'],
      system: ['system/cpu_utilization_percentage', 'system/gpu_0_utilization_percentage'],
    });
  });
});
