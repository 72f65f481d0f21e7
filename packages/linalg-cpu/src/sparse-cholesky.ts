import { approximateMinimumDegree } from './amd.js';
import { eliminationTreeOf, type EliminationTree } from './elimination-tree.js';
import { SolverError } from './errors.js';
import { nestedDissection } from './nested-dissection.js';
import type { ReducedSystem } from './reduced-system.js';
import { supernodalCholesky, type SupernodalFactor } from './supernodal-cholesky.js';
import { supernodesOf, type Supernodes } from './supernodes.js';

/** Fill-reducing orderings of the sparse path. `auto`: AMD, and nested dissection too on large systems; the one with less fill wins. */
export type Ordering = 'auto' | 'amd' | 'nested-dissection';

/** Free-node count from which `auto` also tries nested dissection (small separators pay off on large meshes). */
export const NESTED_DISSECTION_FROM = 20_000;
/** Free-node count up to which `auto` also tries AMD when nested dissection worked (AMD takes seconds beyond). */
export const AMD_AUTO_MAX = 200_000;

/** Symbolic analysis of `L_FF`: ordering, elimination tree, column counts and supernodes. */
export interface CholeskySymbolic {
  /** The ordering actually used (`natural` for the dense path's single supernode). */
  readonly ordering: 'amd' | 'nested-dissection' | 'natural';
  readonly tree: EliminationTree;
  /** Null when the factor would exceed the nonzero budget. */
  readonly supernodes: Supernodes | null;
  /** Nonzeros of L (exact when `supernodes` is set; a lower bound otherwise). */
  readonly nnzL: number;
  /** Operation count of the numeric factorization (Infinity when over budget). */
  readonly flops: number;
}

function analyseOrder(sys: ReducedSystem, ordering: 'amd' | 'nested-dissection', budget: number): CholeskySymbolic {
  const n = sys.free.length;
  let order: Int32Array;
  if (ordering === 'amd') {
    const amd = approximateMinimumDegree(n, sys.ffStart, sys.ffCol, budget);
    if (!amd.complete) {
      const tree: EliminationTree = { perm: amd.perm, inverse: amd.perm, parent: amd.perm, counts: null, nnz: amd.nnzEstimate };
      return { ordering, tree, supernodes: null, nnzL: amd.nnzEstimate, flops: Infinity };
    }
    order = amd.perm;
  } else order = nestedDissection(n, sys.ffStart, sys.ffCol);
  const tree = eliminationTreeOf(n, sys.ffStart, sys.ffCol, order, budget);
  if (!tree.counts) return { ordering, tree, supernodes: null, nnzL: tree.nnz, flops: Infinity };
  const supernodes = supernodesOf(tree, sys.ffStart, sys.ffCol);
  return { ordering, tree, supernodes, nnzL: tree.nnz, flops: supernodes.flops };
}

/**
 * Symbolic analysis of the free block under the requested ordering, stopping early once the
 * factor would hold more than `budget` nonzeros (then `supernodes` is null). `auto`: AMD below
 * `NESTED_DISSECTION_FROM` free nodes; above, nested dissection, and also AMD up to
 * `AMD_AUTO_MAX` free nodes, keeping the order with fewer operations.
 */
export function analyseCholesky(sys: ReducedSystem, budget = Infinity, ordering: Ordering = 'auto'): CholeskySymbolic {
  if (ordering !== 'auto') return analyseOrder(sys, ordering, budget);
  const n = sys.free.length;
  if (n < NESTED_DISSECTION_FROM) return analyseOrder(sys, 'amd', budget);
  const nd = analyseOrder(sys, 'nested-dissection', budget);
  if (n > AMD_AUTO_MAX && nd.supernodes) return nd;
  const amd = analyseOrder(sys, 'amd', nd.supernodes ? Math.min(budget, 1.5 * nd.nnzL) : budget);
  if (!amd.supernodes) return nd;
  if (!nd.supernodes) return amd;
  return nd.flops <= amd.flops ? nd : amd;
}

/** The numeric factor of the free block plus its symbolic analysis. */
export interface SparseCholeskyFactor {
  readonly symbolic: CholeskySymbolic;
  solve(b: Float64Array, count: number): Float64Array;
  /** Hands the factor's storage back for reuse by the next factorization of this analysis; no solves afterwards. */
  release(): void;
}

/**
 * Numeric supernodal factorization of `L_FF` under a completed analysis. Refactorizations under
 * the same analysis (a cached plan) reuse its index maps, update stack and released factors.
 */
export function sparseCholesky(sys: ReducedSystem, symbolic: CholeskySymbolic): SparseCholeskyFactor {
  const sn = symbolic.supernodes;
  if (!sn) throw new SolverError('sparse Cholesky: the symbolic analysis exceeded its fill budget; use method "pcg"');
  const { perm, inverse } = symbolic.tree;
  const factor: SupernodalFactor = supernodalCholesky({ n: sys.free.length, start: sys.ffStart, col: sys.ffCol, val: sys.ffVal, perm, inverse }, sn);
  return { symbolic, solve: factor.solve, release: factor.release };
}
