import { createCpuBackend, factorSync } from '@ohmlab/linalg-cpu';
import type { FactorRequest, Factorization, SolverBackend } from '@ohmlab/linalg-cpu';
import { EventSink, type WebGpuEvent, type WebGpuStats } from './backend-events.js';
import { factorBatchOnGpu, type BatchFactorization, type BatchFactorRequest } from './batch-factorization.js';
import { acquireDevice, type DeviceOptions } from './device/acquire-device.js';
import { WebGpuUnavailableError } from './errors.js';
import { GpuContext, type LimitOverrides } from './gpu/gpu-context.js';
import type { RefinementOptions } from './algorithms/refinement.js';
import type { PcgPreconditioner } from './algorithms/gpu-pcg.js';
import { measurePcgThroughput, type PcgThroughput, type PcgThroughputRequest } from './algorithms/pcg-throughput.js';
import { factorOnGpu, type FactorContext } from './webgpu-factorization.js';
import { createFusedTrainer } from './fused/fused-trainer.js';
import type { FusedTrainerRequest } from './fused/fused-request.js';
import type { FusedTrainer } from './fused/fused-trainer-types.js';

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
  /**
   * Preconditioner of the GPU PCG (default `{ kind: 'auto' }`: block-Jacobi over compact 256-row
   * tiles with 8 Chebyshev steps per tile where the tiles hold most couplings, else Jacobi);
   * `{ kind: 'two-level' }` adds the coarse correction on the tiles (iterations nearly independent
   * of the grid size; README "Preconditioner").
   */
  readonly preconditioner?: PcgPreconditioner;
  /** Pretend the device has lower limits (binding bytes, workgroups per dimension): tests chunking. */
  readonly limits?: LimitOverrides;
}

/** The WebGPU `SolverBackend` with its extras: fused training, throughput probes and fallback counters. */
export interface WebGpuBackend extends SolverBackend {
  readonly name: 'webgpu';
  /** Fallback counter, device-lost state, and submissions / dispatches / readbacks so far (live). */
  readonly stats: WebGpuStats;
  /**
   * Factors many conductance vectors of one network at once (the shared `SolverBackend.factorBatch`):
   * one batched GPU job, batched dense Cholesky or batched PCG, refined to float64 per RHS.
   */
  factorBatch(request: BatchFactorRequest): Promise<BatchFactorization>;
  /**
   * Like `dispose()`, but resolves once queued GPU work has drained and the device is destroyed
   * (use it before a process exits or a test file ends). Idempotent.
   */
  disposeAsync(): Promise<void>;
  /**
   * A discrete training run resident on the GPU: free and clamped/nudged states, the edge rule
   * averaged over samples and the boundary rule, one dispatch per step, for one or many circuits
   * of one topology (README "Fused training step"). Falls back to the CPU (float64) on any GPU
   * failure, reported.
   */
  fusedTrainer(request: FusedTrainerRequest): Promise<FusedTrainer>;
  /**
   * Times the sparse PCG kernels alone on a batch (no refinement) and reports the effective memory
   * bandwidth from the compulsory traffic model (README "Sparse path"): for benchmarks.
   */
  pcgThroughput(request: PcgThroughputRequest): Promise<PcgThroughput>;
  /** True when the adapter emulates a GPU on the CPU (SwiftShader, llvmpipe): timings say nothing about GPUs. */
  readonly software: boolean;
}

/** True for CPU-emulated adapters (SwiftShader, llvmpipe/lavapipe), from the adapter description. */
export function isSoftwareAdapter(description: string): boolean {
  return /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i.test(description);
}

/**
 * Creates the WebGPU backend (float32 kernels, float64-refined results; see README "Precision").
 * Throws `WebGpuUnavailableError` when no device can be had; {@link requestWebGpuBackend} falls
 * back to the CPU instead. After a device loss every call runs on the CPU (reported once).
 */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const acquired = await acquireDevice(options);
  const events = new EventSink(options.onEvent);
  const ctx = new GpuContext(acquired.device, {
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.watchdogMs !== undefined ? { watchdogMs: options.watchdogMs } : {}),
    software: isSoftwareAdapter(acquired.description),
    counters: events.stats,
  });
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
    preconditioner: options.preconditioner ?? { kind: 'auto' },
  };
  let released: Promise<void> | undefined;
  /** Drains the queue (under the watchdog), then destroys an owned device; idempotent. */
  const release = (): Promise<void> => {
    disposed = true;
    released ??= (async () => {
      if (ctx.lost === undefined) await ctx.idle().catch(() => undefined);
      if (acquired.owned) acquired.device.destroy();
    })();
    return released;
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
    fusedTrainer: (request) => createFusedTrainer(ctx, events, request),
    pcgThroughput: (request) => measurePcgThroughput(ctx, request),
    software: ctx.software,
    dispose() {
      void release();
    },
    disposeAsync: () => release(),
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
