import { SolverError } from '@ohmlab/linalg-cpu';
import type { BatchFactorization as SharedBatchFactorization, BatchFactorRequest, BatchRightHandSides } from '@ohmlab/linalg-cpu';
import { startCorrector } from './batch-corrector.js';
import { prepareBatch, type BatchMethod } from './batch-setup.js';
import { solveBatch, type BatchSolveResult } from './batch-solve.js';
import { DeferredRelease } from './gpu/deferred-release.js';
import type { FactorContext } from './webgpu-factorization.js';

export { DENSE_BATCH_LIMIT } from './batch-setup.js';
export type { BatchSolveResult } from './batch-solve.js';

/**
 * The batch request and right-hand sides are the shared types of the solver interface
 * (`@ohmlab/linalg-cpu` solver.ts), re-exported here for compatibility. On this backend
 * `options.method` is `dense` (batched dense Cholesky, one workgroup per system, up to
 * {@link DENSE_BATCH_LIMIT} free nodes), `pcg` (batched PCG over all systems x RHS at once: values
 * per system, one structure; `sparse-cholesky` maps here as in `factor`) or `auto` (default: dense
 * up to the backend's dense limit, 256 free nodes, else pcg); `tolerance` is the relative residual
 * target per RHS (default the backend's, 1e-10); `maxIterations` caps each PCG correction solve
 * (default max(1000, 10 nf)). Other options are ignored.
 */
export type { BatchFactorRequest, BatchRightHandSides };

/** The shared `BatchFactorization` on the GPU: its method names the GPU path, its results carry provenance. */
export interface BatchFactorization extends SharedBatchFactorization {
  readonly method: BatchMethod;
  solve(rhs: BatchRightHandSides): Promise<BatchSolveResult>;
}

/**
 * Factors `systems` conductance vectors of one network on the GPU, with the batched dense Cholesky
 * (dense-cholesky.wgsl.ts) or the batched PCG (pcg.wgsl.ts; one structure, values per system), and
 * returns a factorization whose solves are refined in float64 per RHS, with per-system CPU fallback.
 */
export async function factorBatchOnGpu(fc: FactorContext, request: BatchFactorRequest): Promise<BatchFactorization> {
  const setup = prepareBatch(fc, request);
  const batch = await startCorrector(setup);
  const lifetime = new DeferredRelease(() => batch?.dispose());
  return {
    method: setup.method,
    systems: setup.systems,
    nodeCount: setup.n,
    dirichletNodes: setup.dirichletNodes.slice(),
    solve(rhs) {
      if (lifetime.disposed) return Promise.reject(new SolverError('this batch factorization was disposed; factor again'));
      return lifetime.track(() => solveBatch(setup, batch, rhs));
    },
    /** Releases the GPU buffers, after any solve still in flight. */
    dispose: () => lifetime.dispose(),
  };
}
