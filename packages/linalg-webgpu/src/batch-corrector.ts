import { GpuDenseBatch } from './algorithms/gpu-dense-batch.js';
import { GpuPcgMatrix } from './algorithms/gpu-pcg.js';
import type { BatchSetup } from './batch-setup.js';
import { batchedFreeBlocks } from './host/laplacian-system.js';

/** The GPU side of a batch: float32 correction solves of all `systems x perSystem` units at once. */
export interface BatchCorrector {
  /** Systems the GPU could not factor (dense: non-positive float32 pivot). */
  readonly failed: ReadonlySet<number>;
  solve(b: Float32Array, perSystem: number): Promise<{ x: Float32Array; iterations: number }>;
  dispose(): void;
}

async function denseCorrector({ fc, network, free, freeIndex, k }: BatchSetup): Promise<BatchCorrector> {
  const batch = await GpuDenseBatch.factor(fc.ctx, network, free, freeIndex, k);
  return { failed: batch.failed, solve: async (b, P) => ({ x: await batch.solve(b, P), iterations: 0 }), dispose: () => batch.dispose() };
}

function pcgCorrector({ fc, network, dirichletNodes, k, systems, maxIterations }: BatchSetup): BatchCorrector {
  const { first, values } = batchedFreeBlocks(network, k, dirichletNodes, systems);
  const matrix = new GpuPcgMatrix(fc.ctx, first.ffStart, first.ffCol, values, fc.preconditioner);
  const options = { tolerance: fc.innerTolerance, maxIterations, checkEvery: fc.checkEvery };
  return { failed: new Set(), solve: (b, P) => matrix.solve(b, systems * P, P, options), dispose: () => matrix.dispose() };
}

/**
 * Factors the batch on the GPU with the corrector its setup chose (batched dense Cholesky or
 * batched PCG); `undefined` when there is nothing to factor (no free node), the device is lost, or
 * the GPU factorization failed (reported as a fallback event: the CPU will solve every system).
 */
export async function startCorrector(setup: BatchSetup): Promise<BatchCorrector | undefined> {
  const { fc, nf, dense, method } = setup;
  if (!(nf > 0 && fc.ctx.lost === undefined)) return undefined;
  try {
    return dense ? await denseCorrector(setup) : pcgCorrector(setup);
  } catch (e) {
    fc.events.fallback(method, `GPU batch factorization failed (${(e as Error).message}); the CPU will solve`, 0);
    return undefined;
  }
}
