import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { createCpuBackend } from '@ohmlab/linalg-cpu';
import { UsageError } from './errors.js';

export type BackendName = 'cpu' | 'webgpu';

export function parseBackendName(value: string | undefined): BackendName {
  if (value === undefined || value === 'cpu') return 'cpu';
  if (value === 'webgpu') return 'webgpu';
  throw new UsageError(`--backend must be "cpu" or "webgpu", got "${value}"`);
}

const warn = (message: string) => process.stderr.write(`ohmlab: ${message}\n`);

/**
 * Opens the chosen backend. WebGPU is loaded lazily (Dawn is large). Without an adapter the WebGPU
 * package falls back to the CPU with one message; later fallbacks (a solve whose refined residual
 * missed the tolerance, a lost device) are reported on stderr once per kind and method.
 */
export async function openBackend(name: BackendName): Promise<SolverBackend> {
  if (name === 'cpu') return createCpuBackend();
  const webgpu = await import('@ohmlab/linalg-webgpu');
  const seen = new Set<string>();
  return webgpu.requestWebGpuBackend({
    onEvent: (event) => {
      const key = event.type === 'fallback' ? `${event.type}:${event.method}` : event.type;
      if (seen.has(key)) return;
      seen.add(key);
      if (event.type === 'device-lost') warn(`WebGPU device lost: ${event.message}; continuing on the CPU`);
      else if (event.method === 'backend') warn(`WebGPU: ${event.reason}`);
      else warn(`WebGPU ${event.method}: ${event.reason} (further events of this kind are not repeated)`);
    },
  });
}
