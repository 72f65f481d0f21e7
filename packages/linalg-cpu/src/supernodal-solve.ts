import { gemmNN, gemmTN, lowerSolve, lowerTransposeSolve } from './dense-solve-kernels.js';
import { solveScratch, type FactorWorkspace } from './factor-workspace.js';
import { belowBackward1, belowBackward4, belowForward1, belowForward4, lowerSolve1, lowerSolve4, lowerTransposeSolve1, lowerTransposeSolve4 } from './narrow-solve-kernels.js';
import type { Supernodes } from './supernodes.js';

/** Right-hand sides up to which a block is solved in padded groups of four (one sweep of the factor per group); wider blocks use the tiled products. */
const NARROW = 8;

/**
 * Forward step below a supernode for a wide block: `y[rows[i]] -= L21[i, :] y_top` for the
 * `u x w` block L21 (row-major at `lo`), `y_top` the supernode's own rows at `yo`, as a tiled
 * product into `tmp` then scattered.
 */
function forwardBelow(l: Float64Array, lo: number, w: number, u: number, rows: Int32Array, ro: number, y: Float64Array, yo: number, count: number, tmp: Float64Array): void {
  tmp.fill(0, 0, u * count);
  gemmNN(u, count, w, l, lo, w, y, yo, count, tmp, 0, count);
  for (let i = 0; i < u; i++) {
    const to = rows[ro + i]! * count;
    for (let r = 0; r < count; r++) y[to + r]! += tmp[i * count + r]!;
  }
}

/** Backward step below a supernode for a wide block: `y_top -= L21^T y[rows]` (gathered, then a tiled product). */
function backwardBelow(l: Float64Array, lo: number, w: number, u: number, rows: Int32Array, ro: number, y: Float64Array, yo: number, count: number, tmp: Float64Array): void {
  for (let i = 0; i < u; i++) {
    const from = rows[ro + i]! * count;
    for (let r = 0; r < count; r++) tmp[i * count + r] = y[from + r]!;
  }
  gemmTN(w, count, u, l, lo, w, tmp, 0, count, y, yo, count);
}

/** Both sweeps for one right-hand side, in place on `y` (factor order). */
function sweep1(sn: Supernodes, values: Float64Array, y: Float64Array): void {
  const rows = sn.rows;
  for (let s = 0; s < sn.count; s++) {
    const r0 = sn.rowStart[s]!;
    const f = sn.first[s]!;
    const w = sn.first[s + 1]! - f;
    const lo = sn.valueStart[s]!;
    lowerSolve1(values, lo, w, y, f);
    const u = sn.rowStart[s + 1]! - r0 - w;
    if (u > 0) belowForward1(values, lo + w * w, w, u, rows, r0 + w, y, f);
  }
  for (let s = sn.count - 1; s >= 0; s--) {
    const r0 = sn.rowStart[s]!;
    const f = sn.first[s]!;
    const w = sn.first[s + 1]! - f;
    const lo = sn.valueStart[s]!;
    const u = sn.rowStart[s + 1]! - r0 - w;
    if (u > 0) belowBackward1(values, lo + w * w, w, u, rows, r0 + w, y, f);
    lowerTransposeSolve1(values, lo, w, y, f);
  }
}

/** Both sweeps for a padded block of four right-hand sides, in place on `y` (factor order, stride 4). */
function sweep4(sn: Supernodes, values: Float64Array, y: Float64Array): void {
  const rows = sn.rows;
  for (let s = 0; s < sn.count; s++) {
    const r0 = sn.rowStart[s]!;
    const f = sn.first[s]!;
    const w = sn.first[s + 1]! - f;
    const lo = sn.valueStart[s]!;
    lowerSolve4(values, lo, w, y, 4 * f);
    const u = sn.rowStart[s + 1]! - r0 - w;
    if (u > 0) belowForward4(values, lo + w * w, w, u, rows, r0 + w, y, 4 * f);
  }
  for (let s = sn.count - 1; s >= 0; s--) {
    const r0 = sn.rowStart[s]!;
    const f = sn.first[s]!;
    const w = sn.first[s + 1]! - f;
    const lo = sn.valueStart[s]!;
    const u = sn.rowStart[s + 1]! - r0 - w;
    if (u > 0) belowBackward4(values, lo + w * w, w, u, rows, r0 + w, y, 4 * f);
    lowerTransposeSolve4(values, lo, w, y, 4 * f);
  }
}

/** Column `c0 ..` (up to four) of the permuted block `b` into the stride-4 block `y` (zero padded). */
function gather4(perm: Int32Array, b: Float64Array, count: number, c0: number, y: Float64Array): void {
  const n = perm.length;
  const c = Math.min(4, count - c0);
  y.fill(0, 0, 4 * n);
  for (let k = 0; k < n; k++) {
    const from = perm[k]! * count + c0;
    for (let r = 0; r < c; r++) y[4 * k + r] = b[from + r]!;
  }
}

/** The stride-4 block `y` back into columns `c0 ..` of `x` (original order). */
function scatter4(perm: Int32Array, y: Float64Array, count: number, c0: number, x: Float64Array): void {
  const n = perm.length;
  const c = Math.min(4, count - c0);
  for (let k = 0; k < n; k++) {
    const to = perm[k]! * count + c0;
    for (let r = 0; r < c; r++) x[to + r] = y[4 * k + r]!;
  }
}

/** `y[k] = b[perm[k]]` (one right-hand side). */
function gather1(perm: Int32Array, b: Float64Array, y: Float64Array): void {
  for (let k = 0; k < perm.length; k++) y[k] = b[perm[k]!]!;
}

/** `x[perm[k]] = y[k]` (one right-hand side). */
function scatter1(perm: Int32Array, y: Float64Array, x: Float64Array): void {
  for (let k = 0; k < perm.length; k++) x[perm[k]!] = y[k]!;
}

/**
 * Solves a narrow block (`count <= NARROW`): one right-hand side directly, else padded groups of
 * four. Each loop lives in its own small function, so that V8 optimizes them independently and
 * early (a training loop calls this once per step).
 */
function solveNarrow(perm: Int32Array, sn: Supernodes, values: Float64Array, b: Float64Array, count: number, y: Float64Array, x: Float64Array): void {
  if (count === 1) {
    gather1(perm, b, y);
    sweep1(sn, values, y);
    scatter1(perm, y, x);
    return;
  }
  for (let c0 = 0; c0 < count; c0 += 4) {
    gather4(perm, b, count, c0, y);
    sweep4(sn, values, y);
    scatter4(perm, y, count, c0, x);
  }
}

/** Solves a wide block (`n x count` in `y`, factor order, in place): one sweep of the factor, L21 products tiled. */
function solveWide(sn: Supernodes, values: Float64Array, y: Float64Array, count: number, tmp: Float64Array): void {
  const { rows } = sn;
  for (let s = 0; s < sn.count; s++) {
    const r0 = sn.rowStart[s]!;
    const f = sn.first[s]!;
    const w = sn.first[s + 1]! - f;
    const lo = sn.valueStart[s]!;
    lowerSolve(values, lo, w, w, y, f * count, count);
    const u = sn.rowStart[s + 1]! - r0 - w;
    if (u > 0) forwardBelow(values, lo + w * w, w, u, rows, r0 + w, y, f * count, count, tmp);
  }
  for (let s = sn.count - 1; s >= 0; s--) {
    const r0 = sn.rowStart[s]!;
    const f = sn.first[s]!;
    const w = sn.first[s + 1]! - f;
    const lo = sn.valueStart[s]!;
    const u = sn.rowStart[s + 1]! - r0 - w;
    if (u > 0) backwardBelow(values, lo + w * w, w, u, rows, r0 + w, y, f * count, count, tmp);
    lowerTransposeSolve(values, lo, w, w, y, f * count, count);
  }
}

/**
 * Forward and backward substitution with the supernodal factor for a block of right-hand sides
 * (`b`: `n x count` node-major interleaved, original order). Narrow blocks (up to `NARROW`, a
 * training step's basis) run the unrolled kernels of `narrow-solve-kernels.ts` in groups of four;
 * wider ones sweep the factor once with tiled panel products. The permuted copy lives in the
 * workspace's scratch; returns a new array.
 */
export function supernodalSolve(perm: Int32Array, sn: Supernodes, values: Float64Array, b: Float64Array, count: number, ws: FactorWorkspace): Float64Array {
  const n = perm.length;
  const x = new Float64Array(n * count);
  const width = count <= NARROW ? 4 : count;
  const scratch = solveScratch(ws, (n + sn.maxFront) * width);
  const y = scratch.subarray(0, n * width);
  if (count <= NARROW) {
    solveNarrow(perm, sn, values, b, count, y, x);
    return x;
  }
  for (let k = 0; k < n; k++) {
    const from = perm[k]! * count;
    for (let r = 0; r < count; r++) y[k * count + r] = b[from + r]!;
  }
  solveWide(sn, values, y, count, scratch.subarray(n * count));
  for (let k = 0; k < n; k++) {
    const to = perm[k]! * count;
    for (let r = 0; r < count; r++) x[to + r] = y[k * count + r]!;
  }
  return x;
}
