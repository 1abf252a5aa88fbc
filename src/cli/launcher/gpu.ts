import { execFile } from 'node:child_process';

export interface GpuSample {
  index: number;
  utilizationPercent: number;
  memoryUsedMegabytes: number;
}

/**
 * One reading of every NVIDIA GPU through `nvidia-smi`; null when it is not installed or
 * fails (then the caller stops asking). Like MLflow's, these are whole-device figures.
 */
export function readGpus(): Promise<GpuSample[] | null> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', ['--query-gpu=index,utilization.gpu,memory.used', '--format=csv,noheader,nounits'], { timeout: 5000 }, (error, stdout) => {
      if (error) return resolve(null);
      const gpus = stdout
        .trim()
        .split('\n')
        .map((line) => line.split(',').map((field) => Number(field.trim())))
        .filter((fields) => fields.length === 3 && fields.every(Number.isFinite))
        .map(([index, utilization, memory]) => ({ index: index!, utilizationPercent: utilization!, memoryUsedMegabytes: memory! }));
      resolve(gpus);
    });
  });
}
