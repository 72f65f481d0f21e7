import { createCpuBackend, factorSync } from '@ohmlab/linalg-cpu';
import type { FactorRequest, Factorization, SolverBackend } from '@ohmlab/linalg-cpu';
import { EventSink, type WebGpuEvent, type WebGpuStats } from './backend-events.js';
import { factorBatchOnGpu, type BatchFactorization, type BatchFactorRequest } from './batch-factorization.js';
import { acquireDevice, type DeviceOptions } from './device/acquire-device.js';
import { WebGpuUnavailableError } from './errors.js';
import { GpuContext, type LimitOverrides } from './gpu/gpu-context.js';
import type { RefinementOptions } from './algorithms/refinement.js';
import { factorOnGpu, type FactorContext } from './webgpu-factorization.js';

/** Default relative residual target of GPU solves: the same as `linalg-cpu`'s iterative default. */
export const DEFAULT_TOLERANCE = 1e-10;
/** Free-node count up to which `auto` uses the dense GPU Cholesky. */
export const GPU_DENSE_LIMIT = 256;

/** Options of {@link createWebGpuBackend}. */
export interface WebGpuBackendOptions extends DeviceOptions {
  /** Receives fallbacks and device loss; without it each kind is logged once with `console.warn`. */
  readonly onEvent?: (event: WebGpuEvent) => void;
  /** Free-node count up to which `auto` uses dense GPU Cholesky (default {@link GPU_DENSE_LIMIT}). */
  readonly denseLimit?: number;
  /** Default refinement target (per-factorization `options.tolerance` wins) and cap. */
  readonly refinement?: Partial<RefinementOptions>;
  /** Relative residual of each float32 PCG correction solve (default 1e-5). */
  readonly innerTolerance?: number;
  /** PCG iterations between convergence readbacks (default 10). */
  readonly checkEvery?: number;
  /** Pretend the device has lower limits (binding bytes, workgroups per dimension): tests chunking. */
  readonly limits?: LimitOverrides;
}

/** The WebGPU `SolverBackend` with its extras: batched dense factorizations and fallback counters. */
export interface WebGpuBackend extends SolverBackend {
  readonly name: 'webgpu';
  /** Fallback counter and device-lost state (live). */
  readonly stats: WebGpuStats;
  /** Factors many conductance vectors of one network at once (batched dense Cholesky). */
  factorBatch(request: BatchFactorRequest): Promise<BatchFactorization>;
}

/**
 * Creates the WebGPU backend (float32 kernels, float64-refined results; see README "Precision").
 * Throws `WebGpuUnavailableError` when no device can be had; {@link requestWebGpuBackend} falls
 * back to the CPU instead. After a device loss every call runs on the CPU (reported once).
 */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const acquired = await acquireDevice(options);
  const ctx = new GpuContext(acquired.device, options.limits);
  const events = new EventSink(options.onEvent);
  let disposed = false;
  ctx.onLost((message) => {
    if (!disposed) events.deviceLost(message);
  });
  const fc: FactorContext = {
    ctx,
    events,
    denseLimit: options.denseLimit ?? GPU_DENSE_LIMIT,
    refinement: { tolerance: options.refinement?.tolerance ?? DEFAULT_TOLERANCE, maxRefinements: options.refinement?.maxRefinements ?? 12 },
    innerTolerance: options.innerTolerance ?? 1e-5,
    checkEvery: options.checkEvery ?? 10,
  };
  const factor = async (request: FactorRequest): Promise<Factorization> => {
    if (ctx.lost !== undefined || disposed) {
      const cpu = factorSync(request);
      events.fallback('factor', disposed ? 'backend disposed' : `device lost (${ctx.lost})`);
      return cpu;
    }
    return factorOnGpu(fc, request);
  };
  return {
    name: 'webgpu',
    description: acquired.description,
    stats: events.stats,
    factor,
    factorBatch: (request) => factorBatchOnGpu(fc, request),
    dispose() {
      if (disposed) return;
      disposed = true;
      if (acquired.owned) acquired.device.destroy();
    },
  };
}

/**
 * The WebGPU backend when an adapter is available, else the float64 CPU backend of `linalg-cpu`
 * with one message (to `onEvent` as a fallback event, or `console.warn`) saying why.
 */
export async function requestWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<SolverBackend> {
  try {
    return await createWebGpuBackend(options);
  } catch (e) {
    if (!(e instanceof WebGpuUnavailableError)) throw e;
    const reason = `${e.message}; using the CPU backend`;
    if (options.onEvent) options.onEvent({ type: 'fallback', method: 'backend', reason });
    else console.warn(`[ohmlab linalg-webgpu] ${reason}`);
    return createCpuBackend();
  }
}
