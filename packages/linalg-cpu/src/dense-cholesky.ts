import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { SolverError } from './errors.js';
import type { ReducedSystem } from './reduced-system.js';

/** A dense Cholesky factor of L_FF. */
export interface DenseFactor {
  /** Solves L_FF X = B for node-major interleaved B (`nf x count`). */
  solve(b: Float64Array, count: number): Float64Array;
}

/**
 * Dense Cholesky `L_FF = R R^T` through ml-matrix: for small circuits (a few hundred free nodes;
 * `DENSE_MAX` at most). Throws `SolverError` when L_FF is not numerically positive definite.
 */
export function denseCholesky(sys: ReducedSystem): DenseFactor {
  const nf = sys.free.length;
  const a = Matrix.zeros(nf, nf);
  for (let k = 0; k < nf; k++) {
    for (let p = sys.ffStart[k]!; p < sys.ffStart[k + 1]!; p++) a.set(k, sys.ffCol[p]!, sys.ffVal[p]!);
  }
  const chol = new CholeskyDecomposition(a);
  if (!chol.isPositiveDefinite()) {
    throw new SolverError('the free block of the Laplacian is not positive definite (dense Cholesky failed); check for tiny or degenerate conductances');
  }
  return {
    solve(b, count) {
      if (nf === 0) return new Float64Array(0);
      const rhs = new Matrix(nf, count);
      for (let k = 0; k < nf; k++) for (let r = 0; r < count; r++) rhs.set(k, r, b[k * count + r]!);
      const x = chol.solve(rhs);
      const out = new Float64Array(nf * count);
      for (let k = 0; k < nf; k++) for (let r = 0; r < count; r++) out[k * count + r] = x.get(k, r);
      return out;
    },
  };
}
