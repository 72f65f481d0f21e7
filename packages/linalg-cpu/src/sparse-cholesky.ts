import { SolverError } from './errors.js';
import { nestedDissection } from './nested-dissection.js';
import type { ReducedSystem } from './reduced-system.js';

/** Symbolic analysis: ordering, elimination tree, column counts of the factor. */
export interface CholeskySymbolic {
  readonly perm: Int32Array; // new -> old (free indices)
  readonly inverse: Int32Array; // old -> new
  readonly parent: Int32Array; // elimination tree
  readonly columnCounts: Int32Array | null; // null when the budget was exceeded
  readonly nnzL: number; // predicted nonzeros of L (lower bound when over budget)
  readonly flops: number;
}

/** Upper pattern (rows < k) of column k of the permuted matrix: neighbours with smaller new index. */
function upperNeighbours(sys: ReducedSystem, sym: { perm: Int32Array; inverse: Int32Array }, k: number, visit: (i: number, a: number) => void): void {
  const old = sym.perm[k]!;
  for (let p = sys.ffStart[old]!; p < sys.ffStart[old + 1]!; p++) {
    const i = sym.inverse[sys.ffCol[p]!]!;
    if (i <= k) visit(i, sys.ffVal[p]!);
  }
}

/**
 * Orders by nested dissection, builds the elimination tree and counts the factor's nonzeros,
 * stopping early once `budget` nonzeros are exceeded (then `columnCounts` is null).
 */
export function analyseCholesky(sys: ReducedSystem, budget = Infinity): CholeskySymbolic {
  const n = sys.free.length;
  const perm = nestedDissection(n, sys.ffStart, sys.ffCol);
  const inverse = new Int32Array(n);
  for (let k = 0; k < n; k++) inverse[perm[k]!] = k;
  const sym = { perm, inverse };
  const parent = new Int32Array(n).fill(-1);
  const ancestor = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) {
    upperNeighbours(sys, sym, k, (i) => {
      while (i !== -1 && i < k) {
        const next = ancestor[i]!;
        ancestor[i] = k;
        if (next === -1) parent[i] = k;
        i = next;
      }
    });
  }
  // Row k of L = ereach(k): walk from each upper neighbour up the tree until a node marked k.
  const counts = new Int32Array(n).fill(1);
  const mark = new Int32Array(n).fill(-1);
  let nnz = n;
  for (let k = 0; k < n; k++) {
    mark[k] = k;
    upperNeighbours(sys, sym, k, (i) => {
      while (i !== -1 && mark[i] !== k) {
        mark[i] = k;
        counts[i]!++;
        nnz++;
        i = parent[i]!;
      }
    });
    if (nnz > budget) return { perm, inverse, parent, columnCounts: null, nnzL: nnz, flops: Infinity };
  }
  let flops = 0;
  for (let k = 0; k < n; k++) flops += counts[k]! * counts[k]!;
  return { perm, inverse, parent, columnCounts: counts, nnzL: nnz, flops };
}

/** The numeric factor: columns of L with the diagonal first (CSC, permuted order). */
export interface SparseCholeskyFactor {
  readonly symbolic: CholeskySymbolic;
  solve(b: Float64Array, count: number): Float64Array;
}

/** Up-looking numeric Cholesky (row k of L from the sparse triangular solve with L(0:k,0:k)). */
export function sparseCholesky(sys: ReducedSystem, symbolic: CholeskySymbolic): SparseCholeskyFactor {
  const n = sys.free.length;
  const counts = symbolic.columnCounts;
  if (!counts) throw new SolverError('sparse Cholesky: the symbolic analysis exceeded its fill budget; use method "pcg"');
  const { parent } = symbolic;
  const colStart = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) colStart[k + 1] = colStart[k]! + counts[k]!;
  const nnz = colStart[n]!;
  const Li = new Int32Array(nnz);
  const Lx = new Float64Array(nnz);
  const next = new Float64Array(n); // next free slot of each column
  for (let k = 0; k < n; k++) next[k] = colStart[k]! + 1;
  const x = new Float64Array(n);
  const mark = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const path = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    // pattern of row k in topological order (stack[top..n))
    let top = n;
    mark[k] = k;
    upperNeighbours(sys, symbolic, k, (i, a) => {
      x[i]! += a;
      let len = 0;
      while (i !== -1 && mark[i] !== k) {
        path[len++] = i;
        mark[i] = k;
        i = parent[i]!;
      }
      while (len > 0) stack[--top] = path[--len]!;
    });
    let d = x[k]!;
    x[k] = 0;
    for (; top < n; top++) {
      const j = stack[top]!;
      const lkj = x[j]! / Lx[colStart[j]!]!;
      x[j] = 0;
      const end = next[j]!;
      for (let p = colStart[j]! + 1; p < end; p++) x[Li[p]!]! -= Lx[p]! * lkj;
      d -= lkj * lkj;
      Li[end] = k;
      Lx[end] = lkj;
      next[j] = end + 1;
    }
    if (!(d > 0)) {
      throw new SolverError(`sparse Cholesky: pivot ${k} is ${d} (not positive); the free block is singular or numerically degenerate`);
    }
    Li[colStart[k]!] = k;
    Lx[colStart[k]!] = Math.sqrt(d);
  }
  return {
    symbolic,
    solve(b, count) {
      const y = new Float64Array(n * count);
      for (let k = 0; k < n; k++) {
        const old = symbolic.perm[k]!;
        for (let r = 0; r < count; r++) y[k * count + r] = b[old * count + r]!;
      }
      for (let j = 0; j < n; j++) {
        const dj = Lx[colStart[j]!]!;
        const jb = j * count;
        for (let r = 0; r < count; r++) y[jb + r]! /= dj;
        for (let p = colStart[j]! + 1; p < colStart[j + 1]!; p++) {
          const ib = Li[p]! * count;
          const l = Lx[p]!;
          for (let r = 0; r < count; r++) y[ib + r]! -= l * y[jb + r]!;
        }
      }
      for (let j = n - 1; j >= 0; j--) {
        const jb = j * count;
        for (let p = colStart[j]! + 1; p < colStart[j + 1]!; p++) {
          const ib = Li[p]! * count;
          const l = Lx[p]!;
          for (let r = 0; r < count; r++) y[jb + r]! -= l * y[ib + r]!;
        }
        const dj = Lx[colStart[j]!]!;
        for (let r = 0; r < count; r++) y[jb + r]! /= dj;
      }
      const out = new Float64Array(n * count);
      for (let k = 0; k < n; k++) {
        const old = symbolic.perm[k]!;
        for (let r = 0; r < count; r++) out[old * count + r] = y[k * count + r]!;
      }
      return out;
    },
  };
}
