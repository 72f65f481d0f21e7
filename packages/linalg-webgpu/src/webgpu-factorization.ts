import { factorSync, SolverError } from '@ohmlab/linalg-cpu';
import type { FactorRequest, Factorization, RightHandSides, SolveResult } from '@ohmlab/linalg-cpu';
import { GpuDenseBatch } from './algorithms/gpu-dense-batch.js';
import { GpuPcgMatrix, type PcgPreconditioner } from './algorithms/gpu-pcg.js';
import { refine, type CorrectionSolve, type RefinementOptions } from './algorithms/refinement.js';
import type { EventSink } from './backend-events.js';
import type { GpuContext } from './gpu/gpu-context.js';
import { DeferredRelease } from './gpu/deferred-release.js';
import { buildLaplacianSystem, freeResidual, type LaplacianSystem } from './host/laplacian-system.js';
import { assembleSolveResult, freeRightHandSides, validateRightHandSides } from './host/right-hand-sides.js';

/** What a GPU factorization needs from its backend. */
export interface FactorContext {
  readonly ctx: GpuContext;
  readonly events: EventSink;
  /** Free-node count up to which `auto` uses the dense GPU Cholesky. */
  readonly denseLimit: number;
  readonly refinement: RefinementOptions;
  /** Relative residual each float32 PCG correction aims for. */
  readonly innerTolerance: number;
  readonly checkEvery: number;
  /** Preconditioner of the GPU PCG. */
  readonly preconditioner: PcgPreconditioner;
}

/** The float64 CPU factorization of the same request, built on first need. */
export function lazyCpu(request: FactorRequest): () => ReturnType<typeof factorSync> {
  let cpu: ReturnType<typeof factorSync> | undefined;
  return () => (cpu ??= factorSync(request));
}

/** Copies the caller's arrays so later mutation cannot change a live factorization. */
export function snapshot(request: FactorRequest): FactorRequest {
  return { ...request, conductances: request.conductances.slice(), dirichletNodes: request.dirichletNodes.slice() };
}

/**
 * Factors on the GPU: dense float32 Cholesky (`webgpu-dense`, one system of the batched kernel)
 * up to `denseLimit` free nodes or when `method: 'dense'`, else batched Jacobi-PCG (`webgpu-pcg`;
 * `sparse-cholesky` also maps here). Every solve is refined to `tolerance` against the float64
 * residual; an unmet tolerance, a GPU error or a lost device sends the solve to the CPU, reported.
 */
export async function factorOnGpu(fc: FactorContext, original: FactorRequest): Promise<Factorization> {
  const request = snapshot(original);
  const sys = buildLaplacianSystem(request);
  const nf = sys.free.length;
  const method = request.options?.method ?? 'auto';
  if (!['auto', 'dense', 'sparse-cholesky', 'pcg'].includes(method)) {
    throw new SolverError(`unknown method "${String(method)}"; use auto, dense, sparse-cholesky or pcg`);
  }
  const tolerance = request.options?.tolerance ?? fc.refinement.tolerance;
  if (!(tolerance > 0 && tolerance < 1)) throw new SolverError(`tolerance must be in (0, 1), got ${tolerance}`);
  const maxIterations = request.options?.maxIterations ?? Math.max(1000, 10 * nf);
  const cpu = lazyCpu(request);
  const dense = method === 'dense' || (method === 'auto' && nf <= fc.denseLimit);
  const name = dense ? 'webgpu-dense' : 'webgpu-pcg';
  let correct: CorrectionSolve | undefined;
  let release = (): void => {};
  if (nf > 0) {
    try {
      if (dense) {
        const batch = await GpuDenseBatch.factor(fc.ctx, request.network, sys.free, sys.freeIndex, request.conductances);
        release = () => batch.dispose();
        if (batch.failed.size === 0) correct = async (rhs, count) => ({ x: await batch.solve(rhs, count), iterations: 0 });
        else fc.events.fallback(name, 'float32 Cholesky met a non-positive pivot (ill-conditioned); solving on the CPU');
      } else {
        const matrix = new GpuPcgMatrix(fc.ctx, sys.ffStart, sys.ffCol, sys.ffVal, fc.preconditioner);
        release = () => matrix.dispose();
        correct = (rhs, count) => matrix.solve(rhs, count, count, { tolerance: fc.innerTolerance, maxIterations, checkEvery: fc.checkEvery });
      }
    } catch (e) {
      fc.events.fallback(name, `GPU factorization failed (${(e as Error).message}); using the CPU`);
    }
  }
  const lifetime = new DeferredRelease(() => release());
  const solveNow = async (rhs: RightHandSides): Promise<SolveResult> => {
    validateRightHandSides(sys, rhs);
    if (nf === 0) return cpu().solveSync(rhs);
    if (!correct || fc.ctx.lost !== undefined) {
      if (correct) fc.events.fallback(name, `device lost (${fc.ctx.lost}); solving on the CPU`);
      return cpu().solveSync(rhs);
    }
    try {
      const result = await refinedSolve(sys, rhs, correct, { ...fc.refinement, tolerance });
      if (result.maxResidual <= tolerance) return result;
      fc.events.fallback(name, `refinement reached relative residual ${result.maxResidual.toExponential(2)} > ${tolerance}; solving on the CPU`);
    } catch (e) {
      // Requests were validated above: anything thrown here is the GPU's (lost device, limits, NaN).
      fc.events.fallback(name, `GPU solve failed (${(e as Error).message}); solving on the CPU`);
    }
    return cpu().solveSync(rhs);
  };
  return {
    method: name,
    nodeCount: sys.nodeCount,
    dirichletNodes: request.dirichletNodes,
    solve(rhs) {
      if (lifetime.disposed) return Promise.reject(new SolverError('this factorization was disposed; factor again'));
      return lifetime.track(() => solveNow(rhs));
    },
    /** Releases the GPU buffers, after any solve still in flight (README "Behaviour and lifetime"). */
    dispose: () => lifetime.dispose(),
  };
}

/** Refines every RHS of the batch against the float64 residual of `L_FF`. */
async function refinedSolve(sys: LaplacianSystem, rhs: RightHandSides, correct: CorrectionSolve, options: RefinementOptions): Promise<SolveResult> {
  const { b, scale } = freeRightHandSides(sys, rhs);
  const nf = sys.free.length;
  const x = new Float64Array(b.length);
  const one = new Float64Array(nf);
  const residual = (units: readonly number[], out: Float64Array): void => {
    units.forEach((u, a) => {
      freeResidual(sys, b.subarray(u * nf, (u + 1) * nf), x.subarray(u * nf, (u + 1) * nf), 1, one);
      out.set(one, a * nf);
    });
  };
  const outcome = await refine(x, nf, scale, residual, correct, options);
  return assembleSolveResult(sys, rhs, x, outcome.residuals, outcome.iterations);
}
