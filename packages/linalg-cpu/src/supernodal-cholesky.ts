import { partialCholesky } from './dense-kernels.js';
import { gemmNN, gemmTN, lowerSolve, lowerTransposeSolve } from './dense-solve-kernels.js';
import { SolverError } from './errors.js';
import type { Supernodes } from './supernodes.js';

/** A symmetric matrix in CSR (full storage) with the permutation it is factored under. */
export interface PermutedMatrix {
  readonly n: number;
  readonly start: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
  /** `perm[new] = old`. */
  readonly perm: Int32Array;
  /** `inverse[old] = new`. */
  readonly inverse: Int32Array;
}

/** The numeric factor `P A P^T = L L^T`: one dense panel per supernode. */
export interface SupernodalFactor {
  readonly supernodes: Supernodes;
  /** Solves `A X = B` for node-major interleaved B (`n x count`, entry (k, r) at `k * count + r`). */
  solve(b: Float64Array, count: number): Float64Array;
}

/** Adds the lower part of A's columns of supernode s into the front F (row-major, `m x m`). */
function assembleMatrix(a: PermutedMatrix, sn: Supernodes, s: number, rel: Int32Array, front: Float64Array, m: number): void {
  const f = sn.first[s]!;
  for (let c = f; c < sn.first[s + 1]!; c++) {
    const old = a.perm[c]!;
    const jc = c - f;
    for (let p = a.start[old]!; p < a.start[old + 1]!; p++) {
      const i = a.inverse[a.col[p]!]!;
      if (i >= c) front[rel[i]! * m + jc]! += a.val[p]!;
    }
  }
}

/** Adds a child's update matrix (`u x u` at `stack[at..]`, rows = the child's rows below its columns). */
function extendAdd(sn: Supernodes, child: number, rel: Int32Array, stack: Float64Array, at: number, front: Float64Array, m: number, local: Int32Array): number {
  const r0 = sn.rowStart[child]! + (sn.first[child + 1]! - sn.first[child]!);
  const u = sn.rowStart[child + 1]! - r0;
  for (let a = 0; a < u; a++) local[a] = rel[sn.rows[r0 + a]!]!;
  for (let a = 0; a < u; a++) {
    const fr = local[a]! * m;
    const ur = at + a * u;
    for (let b = 0; b <= a; b++) front[fr + local[b]!]! += stack[ur + b]!;
  }
  return u * u;
}

/**
 * Multifrontal supernodal Cholesky: for each supernode (children first) assemble its front from
 * A and the children's update matrices, factor its columns with the dense kernels, keep the
 * panel, push the Schur complement. Throws `SolverError` on a pivot that is not positive.
 */
export function supernodalCholesky(a: PermutedMatrix, sn: Supernodes): SupernodalFactor {
  const values = new Float64Array(sn.storedValues);
  const front = new Float64Array(sn.maxFront * sn.maxFront);
  const stack = new Float64Array(sn.stackPeak);
  const rel = new Int32Array(a.n);
  const local = new Int32Array(sn.maxFront);
  const childHead = new Int32Array(sn.count).fill(-1);
  const childNext = new Int32Array(sn.count).fill(-1);
  for (let s = sn.count - 1; s >= 0; s--) {
    const p = sn.parent[s]!;
    if (p < 0) continue;
    childNext[s] = childHead[p]!;
    childHead[p] = s;
  }
  let top = 0;
  for (let s = 0; s < sn.count; s++) {
    const r0 = sn.rowStart[s]!;
    const m = sn.rowStart[s + 1]! - r0;
    const w = sn.first[s + 1]! - sn.first[s]!;
    for (let i = 0; i < m; i++) front.fill(0, i * m, i * m + i + 1); // the lower triangle is all that is read
    for (let i = 0; i < m; i++) rel[sn.rows[r0 + i]!] = i;
    assembleMatrix(a, sn, s, rel, front, m);
    let used = 0;
    for (let k = childHead[s]!; k >= 0; k = childNext[k]!) {
      const r = sn.rowStart[k + 1]! - sn.rowStart[k]! - (sn.first[k + 1]! - sn.first[k]!);
      used += r * r;
    }
    let at = top - used;
    for (let k = childHead[s]!; k >= 0; k = childNext[k]!) at += extendAdd(sn, k, rel, stack, at, front, m, local);
    top -= used;
    const bad = partialCholesky(front, 0, m, w);
    if (bad >= 0) {
      throw new SolverError(
        `Cholesky pivot of free node ${a.perm[sn.first[s]! + bad]} is not positive and finite: the free block is singular or numerically degenerate ` +
          '(check for conductances spanning many orders of magnitude)',
      );
    }
    const vo = sn.valueStart[s]!;
    for (let i = 0; i < m; i++) for (let j = 0; j < w; j++) values[vo + i * w + j] = front[i * m + j]!;
    const u = m - w;
    for (let i = 0; i < u; i++) {
      const from = (w + i) * m + w;
      const to = top + i * u;
      for (let j = 0; j <= i; j++) stack[to + j] = front[from + j]!;
    }
    top += u * u;
  }
  return { supernodes: sn, solve: (b, count) => supernodalSolve(a, sn, values, b, count) };
}

/**
 * Forward and backward substitution for a block of right-hand sides, one sweep of the factor each.
 * A supernode's own rows are consecutive, so its triangle works in place; only the rows below it
 * go through a gathered block (`L21` products as register-tiled matrix products).
 */
function supernodalSolve(a: PermutedMatrix, sn: Supernodes, values: Float64Array, b: Float64Array, count: number): Float64Array {
  const n = a.n;
  const y = new Float64Array(n * count);
  for (let k = 0; k < n; k++) {
    const from = a.perm[k]! * count;
    for (let r = 0; r < count; r++) y[k * count + r] = b[from + r]!;
  }
  const tmp = new Float64Array(sn.maxFront * count);
  for (let s = 0; s < sn.count; s++) {
    const { r0, m, w, f } = panelShape(sn, s);
    const lo = sn.valueStart[s]!;
    lowerSolve(values, lo, w, w, y, f * count, count);
    if (m === w) continue;
    tmp.fill(0, 0, (m - w) * count);
    gemmNN(m - w, count, w, values, lo + w * w, w, y, f * count, count, tmp, 0, count);
    for (let i = 0; i < m - w; i++) {
      const to = sn.rows[r0 + w + i]! * count;
      for (let r = 0; r < count; r++) y[to + r]! += tmp[i * count + r]!;
    }
  }
  for (let s = sn.count - 1; s >= 0; s--) {
    const { r0, m, w, f } = panelShape(sn, s);
    const lo = sn.valueStart[s]!;
    if (m > w) {
      for (let i = 0; i < m - w; i++) {
        const from = sn.rows[r0 + w + i]! * count;
        for (let r = 0; r < count; r++) tmp[i * count + r] = y[from + r]!;
      }
      gemmTN(w, count, m - w, values, lo + w * w, w, tmp, 0, count, y, f * count, count);
    }
    lowerTransposeSolve(values, lo, w, w, y, f * count, count);
  }
  const x = new Float64Array(n * count);
  for (let k = 0; k < n; k++) {
    const to = a.perm[k]! * count;
    for (let r = 0; r < count; r++) x[to + r] = y[k * count + r]!;
  }
  return x;
}

function panelShape(sn: Supernodes, s: number): { r0: number; m: number; w: number; f: number } {
  const r0 = sn.rowStart[s]!;
  const f = sn.first[s]!;
  return { r0, m: sn.rowStart[s + 1]! - r0, w: sn.first[s + 1]! - f, f };
}
