import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { createCpuBackend } from '@ohmlab/linalg-cpu';
import { UsageError } from './errors.js';

export type BackendName = 'cpu' | 'webgpu';

export function parseBackendName(value: string | undefined): BackendName {
  if (value === undefined || value === 'cpu') return 'cpu';
  if (value === 'webgpu') return 'webgpu';
  throw new UsageError(`--backend must be "cpu" or "webgpu", got "${value}"`);
}

/**
 * Opens the chosen backend. WebGPU is loaded lazily (Dawn is large); when no adapter is found the
 * WebGPU package falls back to the CPU with one message, which goes to stderr.
 */
export async function openBackend(name: BackendName): Promise<SolverBackend> {
  if (name === 'cpu') return createCpuBackend();
  const webgpu = await import('@ohmlab/linalg-webgpu');
  return webgpu.requestWebGpuBackend({ log: (message: string) => process.stderr.write(`ohmlab: ${message}\n`) });
}
