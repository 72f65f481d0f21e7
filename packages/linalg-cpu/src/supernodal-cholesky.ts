import { choleskyPanel, gemmNT } from './dense-kernels.js';
import { SolverError } from './errors.js';
import { factorWorkspace, keepSpare, type FactorWorkspace } from './factor-workspace.js';
import { supernodalSolve } from './supernodal-solve.js';
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
  /** Hands the factor's storage back to the workspace for the next factorization; `solve` must not be called afterwards. */
  release(): void;
}

/**
 * Adds child k's update matrix (`uk x uk`, lower triangle, at `stack[at..]`) into its parent:
 * rows and columns that are parent columns go to the parent's panel (`values[vo..]`, width w),
 * the rest to the parent's own update block (`stack[top..]`, `u x u`).
 */
function extendAdd(ws: FactorWorkspace, k: number, at: number, values: Float64Array, vo: number, w: number, top: number, u: number): void {
  const { rel, stack } = ws;
  const ro = ws.relStart[k]!;
  const uk = ws.relStart[k + 1]! - ro;
  const np = ws.panelRows[k]!;
  for (let a = 0; a < uk; a++) {
    const la = rel[ro + a]!;
    const src = at + a * uk - ro;
    const dst = vo + la * w;
    const split = a < np ? a + 1 : np;
    for (let b = ro; b < ro + split; b++) values[dst + rel[b]!]! += stack[src + b]!;
    if (a < np) continue;
    const low = top + (la - w) * u - w;
    for (let b = ro + np; b <= ro + a; b++) stack[low + rel[b]!]! += stack[src + b]!;
  }
}

/** Puts the matrix entries of supernode s (values `val`) into its zeroed panel. */
function assemble(ws: FactorWorkspace, s: number, val: Float64Array, values: Float64Array, vo: number): void {
  const { asmSource, asmTarget } = ws;
  for (let q = ws.asmStart[s]!; q < ws.asmStart[s + 1]!; q++) values[vo + asmTarget[q]!]! += val[asmSource[q]!]!;
}

/**
 * One step of the multifrontal factorization: supernode s (its children done, their update
 * matrices on the stack below `top`). Assembles the matrix entries into its panel and its
 * children's update matrices into the panel and its own update block, factors the panel, and
 * leaves `F22 - L21 L21^T` on the stack for its parent. Returns the new stack top. Throws
 * `SolverError` on a bad pivot.
 */
function factorSupernode(a: PermutedMatrix, sn: Supernodes, ws: FactorWorkspace, values: Float64Array, s: number, top: number): number {
  const { stack, childStart, childList, relStart } = ws;
  const m = sn.rowStart[s + 1]! - sn.rowStart[s]!;
  const w = sn.first[s + 1]! - sn.first[s]!;
  const u = m - w;
  const vo = sn.valueStart[s]!;
  values.fill(0, vo, vo + m * w);
  assemble(ws, s, a.val, values, vo);
  let base = top;
  for (let t = childStart[s]!; t < childStart[s + 1]!; t++) {
    const uk = relStart[childList[t]! + 1]! - relStart[childList[t]!]!;
    base -= uk * uk;
  }
  if (u > 0) stack.fill(0, top, top + u * u);
  for (let t = childStart[s]!, at = base; t < childStart[s + 1]!; t++) {
    const k = childList[t]!;
    extendAdd(ws, k, at, values, vo, w, top, u);
    const uk = relStart[k + 1]! - relStart[k]!;
    at += uk * uk;
  }
  const bad = choleskyPanel(values, vo, w, m, w);
  if (bad >= 0) {
    throw new SolverError(
      `Cholesky pivot of free node ${a.perm[sn.first[s]! + bad]} is not positive and finite: the free block is singular or numerically degenerate ` +
        '(check for conductances spanning many orders of magnitude)',
    );
  }
  if (u > 0) {
    gemmNT(u, u, w, values, vo + w * w, w, values, vo + w * w, w, stack, top, u, true);
    if (base !== top) stack.copyWithin(base, top, top + u * u);
  }
  return base + u * u;
}

/** Multifrontal numeric factorization into `values` (supernode panels, row-major `m x w`), children first. */
function factorInto(a: PermutedMatrix, sn: Supernodes, ws: FactorWorkspace, values: Float64Array): void {
  for (let s = 0, top = 0; s < sn.count; s++) top = factorSupernode(a, sn, ws, values, s, top);
}

/**
 * Multifrontal supernodal Cholesky of `P A P^T`. The index maps and the update stack come from
 * the workspace cached with the supernode partition (`factor-workspace.ts`), and the factor's
 * storage from its spares when an earlier factorization was released, so refactorizations of
 * one pattern allocate nothing but what they return. Throws `SolverError` on a pivot that is
 * not positive and finite.
 */
export function supernodalCholesky(a: PermutedMatrix, sn: Supernodes): SupernodalFactor {
  const ws = factorWorkspace(sn, a.start, a.col, a.perm, a.inverse);
  const values = ws.spare.pop() ?? new Float64Array(sn.storedValues);
  try {
    factorInto(a, sn, ws, values);
  } catch (e) {
    keepSpare(ws, values);
    throw e;
  }
  let released = false;
  return {
    supernodes: sn,
    solve: (b, count) => supernodalSolve(a.perm, sn, values, b, count, ws),
    release() {
      if (released) return;
      released = true;
      keepSpare(ws, values);
    },
  };
}
