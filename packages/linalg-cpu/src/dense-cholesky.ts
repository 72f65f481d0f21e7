import type { ReducedSystem } from './reduced-system.js';
import { supernodalCholesky } from './supernodal-cholesky.js';
import type { Supernodes } from './supernodes.js';

/** A dense Cholesky factor of L_FF. */
export interface DenseFactor {
  /** Solves L_FF X = B for node-major interleaved B (`nf x count`). */
  solve(b: Float64Array, count: number): Float64Array;
}

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
 * Dense Cholesky `L_FF = R R^T` on a row-major `Float64Array` (blocked, register-tiled kernels of
 * `dense-kernels.ts`): for small or dense free blocks (`DENSE_MAX` free nodes at most). Throws
 * `SolverError` when L_FF is not numerically positive definite.
 */
export function denseCholesky(sys: ReducedSystem): DenseFactor {
  const n = sys.free.length;
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  return supernodalCholesky({ n, start: sys.ffStart, col: sys.ffCol, val: sys.ffVal, perm: identity, inverse: identity }, oneSupernode(n));
}
