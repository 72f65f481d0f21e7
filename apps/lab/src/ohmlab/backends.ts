import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { api, has } from './packages.js';

/** A solver backend with the reason it is the CPU when WebGPU was asked for. */
export interface ChosenBackend {
  readonly backend: SolverBackend;
  /** '' when the requested backend runs; otherwise why the CPU runs instead. */
  readonly fallbackReason: string;
}

/** The float64 CPU backend of @ohmlab/linalg-cpu. */
export async function cpuBackend(): Promise<SolverBackend> {
  return await api<() => SolverBackend | Promise<SolverBackend>>('linalg-cpu', 'createCpuBackend')();
}

/**
 * The WebGPU backend of @ohmlab/linalg-webgpu when `preference` allows it and an adapter exists,
 * else the CPU backend with the reason (STYLE.md "Backends": CPU is the fallback).
 */
export async function chooseBackend(preference: 'auto' | 'cpu' | 'webgpu'): Promise<ChosenBackend> {
  if (preference === 'cpu') return { backend: await cpuBackend(), fallbackReason: '' };
  try {
    const backend = await webGpuBackend();
    return { backend, fallbackReason: '' };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { backend: await cpuBackend(), fallbackReason: reason };
  }
}

/** The WebGPU backend, or an error saying why there is none. */
export async function webGpuBackend(): Promise<SolverBackend> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
    throw new Error('no navigator.gpu in this worker');
  }
  if (has('linalg-webgpu', 'createWebGpuBackend')) {
    return await api<(options?: object) => Promise<SolverBackend>>('linalg-webgpu', 'createWebGpuBackend')();
  }
  const request = api<(options?: object) => Promise<SolverBackend | null | undefined>>('linalg-webgpu', 'requestWebGpuBackend');
  const backend = await request();
  if (!backend) throw new Error('@ohmlab/linalg-webgpu found no adapter');
  return backend;
}
