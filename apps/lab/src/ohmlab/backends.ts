import { createCpuBackend, type SolverBackend } from '@ohmlab/linalg-cpu';
import { createWebGpuBackend, WebGpuUnavailableError, type WebGpuEvent } from '@ohmlab/linalg-webgpu';
import type { BackendPreference } from '../core/backend-choice.js';

/** A solver backend, with why it is the CPU when WebGPU was wanted. */
export interface ChosenBackend {
  readonly backend: SolverBackend;
  /** '' when WebGPU runs or the CPU was asked for; otherwise why the CPU runs instead. */
  readonly fallbackReason: string;
}

/** Receives what the WebGPU backend did instead of what was asked (a solve on the CPU, a lost device). */
export type GpuEventSink = (event: WebGpuEvent) => void;

/** The float64 CPU backend of @ohmlab/linalg-cpu. */
export function cpuBackend(): SolverBackend {
  return createCpuBackend();
}

/**
 * The WebGPU backend of @ohmlab/linalg-webgpu; its fallbacks go to `onEvent`.
 * @throws WebGpuUnavailableError when this worker has no WebGPU adapter or device.
 */
export async function webGpuBackend(onEvent: GpuEventSink): Promise<SolverBackend> {
  return await createWebGpuBackend({ onEvent });
}

/**
 * WebGPU when `preference` allows it and a device can be had, else the CPU with the reason
 * (STYLE.md "Backends": the choice happens at the edge, the CPU is the fallback).
 */
export async function chooseBackend(preference: BackendPreference, onEvent: GpuEventSink): Promise<ChosenBackend> {
  if (preference === 'cpu') return { backend: cpuBackend(), fallbackReason: '' };
  try {
    return { backend: await webGpuBackend(onEvent), fallbackReason: '' };
  } catch (error) {
    if (!(error instanceof WebGpuUnavailableError)) throw error;
    return { backend: cpuBackend(), fallbackReason: error.message };
  }
}

/** One line describing a WebGPU event for the page. */
export function describeGpuEvent(event: WebGpuEvent): string {
  return event.type === 'fallback'
    ? `a ${event.method} ran on the CPU instead of the GPU: ${event.reason}`
    : `the GPU device was lost (${event.message}); everything now runs on the CPU`;
}
