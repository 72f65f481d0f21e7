import type { ReducedSystem } from './reduced-system.js';

/** A preconditioner `z = M^{-1} r` on blocks of `count` interleaved vectors. */
export interface Preconditioner {
  readonly name: 'jacobi' | 'incomplete-cholesky';
  apply(r: Float64Array, z: Float64Array, count: number): void;
}

/** Diagonal (Jacobi) preconditioner of `L_FF`. */
export function jacobi(sys: ReducedSystem): Preconditioner {
  const nf = sys.free.length;
  const inv = new Float64Array(nf);
  for (let k = 0; k < nf; k++) {
    for (let p = sys.ffStart[k]!; p < sys.ffStart[k + 1]!; p++) if (sys.ffCol[p] === k) inv[k] = 1 / sys.ffVal[p]!;
  }
  return {
    name: 'jacobi',
    apply(r, z, count) {
      if (count === 1) {
        for (let k = 0; k < nf; k++) z[k] = inv[k]! * r[k]!;
        return;
      }
      for (let k = 0; k < nf; k++) {
        const s = inv[k]!;
        for (let c = k * count; c < (k + 1) * count; c++) z[c] = s * r[c]!;
      }
    },
  };
}

/** The strictly lower part of `L_FF` (rows sorted by column) and its diagonal. */
function lowerPart(sys: ReducedSystem): { start: Int32Array; col: Int32Array; val: Float64Array; diag: Float64Array } {
  const nf = sys.free.length;
  const { ffStart, ffCol, ffVal } = sys;
  const start = new Int32Array(nf + 1);
  for (let i = 0; i < nf; i++) {
    let c = 0;
    for (let p = ffStart[i]!; p < ffStart[i + 1]!; p++) if (ffCol[p]! < i) c++;
    start[i + 1] = start[i]! + c;
  }
  const col = new Int32Array(start[nf]!);
  const val = new Float64Array(start[nf]!);
  const diag = new Float64Array(nf);
  for (let i = 0; i < nf; i++) {
    let at = start[i]!;
    for (let p = ffStart[i]!; p < ffStart[i + 1]!; p++) {
      const j = ffCol[p]!;
      if (j < i) {
        col[at] = j;
        val[at++] = ffVal[p]!;
      } else if (j === i) diag[i] = ffVal[p]!;
    }
    sortRow(col, val, start[i]!, at);
  }
  return { start, col, val, diag };
}

/** `z <- (G G^T)^-1 z` for one vector, G unit-lower (`start, col, val`) scaled by `inv` = 1 / diagonal. */
function icSolve1(nf: number, start: Int32Array, col: Int32Array, val: Float64Array, inv: Float64Array, z: Float64Array): void {
  for (let i = 0; i < nf; i++) {
    let s = z[i]!;
    const end = start[i + 1]!;
    for (let p = start[i]!; p < end; p++) s -= val[p]! * z[col[p]!]!;
    z[i] = s * inv[i]!;
  }
  for (let i = nf - 1; i >= 0; i--) {
    const zi = (z[i]! *= inv[i]!);
    const end = start[i + 1]!;
    for (let p = start[i]!; p < end; p++) z[col[p]!]! -= val[p]! * zi;
  }
}

/** The same for `count` node-major interleaved vectors. */
function icSolveBlock(nf: number, start: Int32Array, col: Int32Array, val: Float64Array, inv: Float64Array, z: Float64Array, count: number): void {
  for (let i = 0; i < nf; i++) {
    const ib = i * count;
    for (let p = start[i]!; p < start[i + 1]!; p++) {
      const g = val[p]!;
      const jb = col[p]! * count;
      for (let c = 0; c < count; c++) z[ib + c]! -= g * z[jb + c]!;
    }
    for (let c = 0; c < count; c++) z[ib + c]! *= inv[i]!;
  }
  for (let i = nf - 1; i >= 0; i--) {
    const ib = i * count;
    for (let c = 0; c < count; c++) z[ib + c]! *= inv[i]!;
    for (let p = start[i]!; p < start[i + 1]!; p++) {
      const g = val[p]!;
      const jb = col[p]! * count;
      for (let c = 0; c < count; c++) z[jb + c]! -= g * z[ib + c]!;
    }
  }
}

/**
 * Incomplete Cholesky with no fill, IC(0), of `L_FF` (a Stieltjes matrix, so IC(0) exists):
 * `L_FF ~ G G^T` with G on the lower pattern of L_FF (natural order of the free nodes).
 * Returns null when a pivot is not positive (the caller then falls back to Jacobi).
 */
export function incompleteCholesky(sys: ReducedSystem): Preconditioner | null {
  const nf = sys.free.length;
  const { start, col, val, diag } = lowerPart(sys);
  if (!factorInPlace(nf, start, col, val, diag)) return null;
  const inv = Float64Array.from(diag, (d) => 1 / d);
  return {
    name: 'incomplete-cholesky',
    apply(r, z, count) {
      z.set(r);
      if (count === 1) icSolve1(nf, start, col, val, inv, z);
      else icSolveBlock(nf, start, col, val, inv, z, count);
    },
  };
}

function sortRow(col: Int32Array, val: Float64Array, from: number, to: number): void {
  for (let a = from + 1; a < to; a++) {
    const c = col[a]!;
    const v = val[a]!;
    let b = a - 1;
    while (b >= from && col[b]! > c) {
      col[b + 1] = col[b]!;
      val[b + 1] = val[b]!;
      b--;
    }
    col[b + 1] = c;
    val[b + 1] = v;
  }
}

/**
 * Row-oriented IC(0): `G_ik = (A_ik - sum_j G_ij G_kj) / G_kk` over the shared pattern (j < k),
 * then `G_ii = sqrt(A_ii - sum_k G_ik^2)`. Overwrites `val` (strict lower part) and `diag`.
 * Returns false on a pivot that is not positive.
 */
function factorInPlace(nf: number, start: Int32Array, col: Int32Array, val: Float64Array, diag: Float64Array): boolean {
  const pos = new Int32Array(nf).fill(-1);
  for (let i = 0; i < nf; i++) {
    for (let p = start[i]!; p < start[i + 1]!; p++) pos[col[p]!] = p;
    let d = diag[i]!;
    for (let p = start[i]!; p < start[i + 1]!; p++) {
      const k = col[p]!;
      let s = val[p]!;
      for (let q = start[k]!; q < start[k + 1]!; q++) {
        const at = pos[col[q]!]!;
        if (at >= 0 && at < p) s -= val[at]! * val[q]!;
      }
      const g = s / diag[k]!;
      val[p] = g;
      d -= g * g;
    }
    for (let p = start[i]!; p < start[i + 1]!; p++) pos[col[p]!] = -1;
    if (!(d > 0)) return false;
    diag[i] = Math.sqrt(d);
  }
  return true;
}

/**
 * A locality order for PCG: breadth-first from a pseudo-peripheral node of each component,
 * reversed (reverse Cuthill-McKee without the degree sort). Neighbours end up close in memory,
 * and IC(0) in this order drops less: on Erdos-Renyi circuits of 1e5 nodes it needs ~40% fewer
 * iterations than in the natural (random) order. Returns `perm[new] = old`.
 */
export function reverseBreadthFirstOrder(sys: ReducedSystem): Int32Array {
  const nf = sys.free.length;
  const { ffStart, ffCol } = sys;
  const order = new Int32Array(nf);
  const probe = new Int32Array(nf);
  const seen = new Uint8Array(nf);
  const stamp = new Int32Array(nf).fill(-1);
  let tail = 0;
  for (let s = 0; s < nf; s++) {
    if (seen[s]) continue;
    // probe sweep from s: the last node reached is far from s (pseudo-peripheral)
    let qt = 0;
    probe[qt++] = s;
    stamp[s] = s;
    for (let h = 0; h < qt; h++) {
      const v = probe[h]!;
      for (let p = ffStart[v]!; p < ffStart[v + 1]!; p++) {
        const w = ffCol[p]!;
        if (stamp[w] !== s) {
          stamp[w] = s;
          probe[qt++] = w;
        }
      }
    }
    const root = probe[qt - 1]!;
    const from = tail;
    seen[root] = 1;
    order[tail++] = root;
    for (let h = from; h < tail; h++) {
      const v = order[h]!;
      for (let p = ffStart[v]!; p < ffStart[v + 1]!; p++) {
        const w = ffCol[p]!;
        if (!seen[w]) {
          seen[w] = 1;
          order[tail++] = w;
        }
      }
    }
  }
  return order.reverse();
}

/** The pattern of the free block renumbered for PCG, and where each entry comes from. */
export interface PcgLayout {
  /** `perm[new] = old`. */
  readonly perm: Int32Array;
  readonly ffStart: Int32Array;
  readonly ffCol: Int32Array;
  /** `ffVal[q]` of the renumbered block is `sys.ffVal[source[q]]`. */
  readonly source: Int32Array;
}

/** The PCG layout of a free block: reverse breadth-first order and the renumbered pattern (structure only). */
export function pcgLayout(sys: ReducedSystem): PcgLayout {
  const perm = reverseBreadthFirstOrder(sys);
  const nf = sys.free.length;
  const inverse = new Int32Array(nf);
  for (let k = 0; k < nf; k++) inverse[perm[k]!] = k;
  const ffStart = new Int32Array(nf + 1);
  const ffCol = new Int32Array(sys.ffCol.length);
  const source = new Int32Array(sys.ffCol.length);
  let q = 0;
  for (let k = 0; k < nf; k++) {
    const old = perm[k]!;
    for (let p = sys.ffStart[old]!; p < sys.ffStart[old + 1]!; p++) {
      ffCol[q] = inverse[sys.ffCol[p]!]!;
      source[q++] = p;
    }
    ffStart[k + 1] = q;
  }
  return { perm, ffStart, ffCol, source };
}

/** The free block renumbered by a layout (values gathered from `sys`), for PCG. */
export function permuteFreeBlock(sys: ReducedSystem, layout: PcgLayout): ReducedSystem {
  const ffVal = new Float64Array(layout.source.length);
  for (let q = 0; q < ffVal.length; q++) ffVal[q] = sys.ffVal[layout.source[q]!]!;
  return { ...sys, ffStart: layout.ffStart, ffCol: layout.ffCol, ffVal };
}
