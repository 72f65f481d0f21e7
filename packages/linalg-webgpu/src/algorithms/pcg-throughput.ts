import { SolverError } from '@ohmlab/linalg-cpu';
import type { Network } from '@ohmlab/linalg-cpu';
import type { GpuContext } from '../gpu/gpu-context.js';
import { batchedFreeBlocks } from '../host/laplacian-system.js';
import { freeRightHandSides } from '../host/right-hand-sides.js';
import { GpuPcgMatrix, type PcgPreconditioner } from './gpu-pcg.js';

/** A timing of the sparse kernels alone (no refinement, no host work in the loop). */
export interface PcgThroughputRequest {
  readonly network: Network;
  /** `systems x edges`. */
  readonly conductances: Float64Array;
  readonly dirichletNodes: Uint32Array;
  /** Right-hand sides per system (the held values are random). */
  readonly perSystem: number;
  /** PCG iterations to time (default 50), run without convergence checks in between. */
  readonly iterations?: number;
  readonly preconditioner?: PcgPreconditioner;
}

export interface PcgThroughput {
  readonly nf: number;
  readonly nnz: number;
  readonly units: number;
  readonly preconditioner: 'jacobi' | 'block' | 'two-level';
  readonly iterations: number;
  /** Wall time per iteration (both dispatches), ms, after a warm-up run. */
  readonly msPerIteration: number;
  /** Compulsory bytes per iteration ({@link pcgBytesPerIteration}). */
  readonly bytesPerIteration: number;
  /** `bytesPerIteration / msPerIteration`, GB/s: compare with the card's peak memory bandwidth. */
  readonly gigabytesPerSecond: number;
}

/**
 * Compulsory memory traffic of one PCG iteration (both dispatches) in bytes, float32/u32 words,
 * each array touched once per kernel (neighbour re-reads assumed cached):
 * per system, the matrix (`rowStart`, `col`, values: `4 (nf + 1 + 2 nnz)`) in the direction kernel,
 * `1/diag` (`4 nf`) in the update kernel, and for `block` the matrix once more for the tile
 * solves; per unit (RHS), direction reads z, p_old and writes p, q (`16 nf`), update reads x, r,
 * p, q and writes x, r, z (`28 nf`). Two-level (`coarse` = nc tiles > 0): per unit the `nc x nc`
 * coarse inverse (each tile's row read by its workgroup) and the coarse vectors (`4 nc^2 + 16 nc`).
 */
export function pcgBytesPerIteration(nf: number, nnz: number, systems: number, units: number, block: boolean, coarse = 0): number {
  const matrix = 4 * (nf + 1 + 2 * nnz);
  return systems * (matrix * (block ? 2 : 1) + 4 * nf) + units * (44 * nf + 4 * coarse * coarse + 16 * coarse);
}

/** Times `iterations` PCG iterations of the batch on the GPU (see {@link PcgThroughput}). */
export async function measurePcgThroughput(ctx: GpuContext, request: PcgThroughputRequest): Promise<PcgThroughput> {
  const { network, conductances, dirichletNodes, perSystem } = request;
  const m = network.edgeFrom.length;
  const systems = conductances.length / m;
  if (!Number.isInteger(systems) || systems < 1) throw new SolverError(`conductances must hold systems x ${m} entries`);
  const iterations = request.iterations ?? 50;
  const { first, values } = batchedFreeBlocks(network, conductances, dirichletNodes, systems);
  const nnz = first.ffVal.length;
  const nf = first.free.length;
  const units = systems * perSystem;
  const dirichletValues = Float64Array.from({ length: perSystem * dirichletNodes.length }, (_, i) => Math.sin(1 + i));
  const one = freeRightHandSides(first, { count: perSystem, dirichletValues }).b;
  const b = new Float32Array(units * nf);
  for (let s = 0; s < systems; s++) b.set(one, s * perSystem * nf);
  const matrix = new GpuPcgMatrix(ctx, first.ffStart, first.ffCol, values, request.preconditioner ?? { kind: 'auto' });
  try {
    const options = { tolerance: 0, maxIterations: iterations, checkEvery: iterations };
    await matrix.solve(b, units, perSystem, { ...options, maxIterations: Math.min(iterations, 2), checkEvery: 2 });
    const t0 = performance.now();
    const run = await matrix.solve(b, units, perSystem, options);
    const ms = (performance.now() - t0) / Math.max(1, run.iterations);
    const bytes = pcgBytesPerIteration(nf, nnz, systems, units, matrix.preconditioner !== 'jacobi', matrix.coarseSize);
    return { nf, nnz, units, preconditioner: matrix.preconditioner, iterations: run.iterations, msPerIteration: ms, bytesPerIteration: bytes, gigabytesPerSecond: bytes / (ms * 1e6) };
  } finally {
    matrix.dispose();
  }
}
