import type { ReducedSystem } from './reduced-system.js';
import { sparseCholesky, type CholeskySymbolic, type SparseCholeskyFactor } from './sparse-cholesky.js';
import type { Supernodes } from './supernodes.js';

/** The whole matrix as one supernode: a single dense front in natural order. */
function oneSupernode(n: number): Supernodes {
  let flops = 0;
  for (let j = 0; j < n; j++) flops += (n - j) * (n - j);
  return {
    count: 1,
    first: Int32Array.of(0, n),
    rowStart: Float64Array.of(0, n),
    rows: Int32Array.from({ length: n }, (_, i) => i),
    parent: Int32Array.of(-1),
    valueStart: Float64Array.of(0, n * n),
    maxFront: n,
    stackPeak: 0,
    flops,
    storedValues: n * n,
  };
}

/**
 * The dense path's "analysis": natural order, one `n x n` supernode (row-major panel), so the
 * dense factorization runs the blocked kernels of `dense-kernels.ts` through the supernodal code
 * and, cached as a plan, reuses its workspace across refactorizations.
 */
export function denseSymbolic(n: number): CholeskySymbolic {
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  const parent = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
  const counts = Int32Array.from({ length: n }, (_, i) => n - i);
  const supernodes = oneSupernode(n);
  return { ordering: 'natural', tree: { perm: identity, inverse: identity, parent, counts, nnz: (n * (n + 1)) / 2 }, supernodes, nnzL: (n * (n + 1)) / 2, flops: supernodes.flops };
}

/**
 * Dense Cholesky `L_FF = R R^T` on a row-major `Float64Array` (blocked, register-tiled kernels of
 * `dense-kernels.ts`): for small or dense free blocks (`DENSE_MAX` free nodes at most). Throws
 * `SolverError` when L_FF is not numerically positive definite.
 */
export function denseCholesky(sys: ReducedSystem, symbolic = denseSymbolic(sys.free.length)): SparseCholeskyFactor {
  return sparseCholesky(sys, symbolic);
}
