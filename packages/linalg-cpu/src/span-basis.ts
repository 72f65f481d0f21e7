import { finishSolve } from './batch.js';
import type { FreeSolver } from './choose-method.js';
import type { ReducedSystem } from './reduced-system.js';
import type { RightHandSides, SolveResult } from './solver.js';

/**
 * A basis of the span of a batch (solver.ts `FactorOptions.basisSolve`). Right-hand side r of the
 * free block is `b_r = sum_d (-L_{F,D[d]}) x_D[r, d] + sum_q e_{node q} I[r, q]`: a combination of
 * `size` fixed vectors, one per Dirichlet node that has a free neighbour and a non-zero value in
 * the batch, one per distinct injection node with a non-zero current. Solving those `size`
 * systems and combining them costs `size` solves instead of `count`.
 */
export interface SpanBasis {
  /** Number of basis vectors k. */
  readonly size: number;
  /** The basis right-hand sides, `nf x k`, node-major interleaved. */
  readonly b: Float64Array;
  /** `k x count`: right-hand side r is `sum_j coef[j * count + r] * basis_j`. */
  readonly coef: Float64Array;
}

/** True when some right-hand side gives column `q` (of `width`) a non-zero value. */
function used(values: Float64Array, width: number, q: number, count: number): boolean {
  for (let r = 0; r < count; r++) if (values[r * width + q] !== 0) return true;
  return false;
}

/**
 * The span basis of a (validated) batch, or null when it would not save solves
 * (`size >= count`). `maxSize` caps the basis (default: count - 1).
 */
export function spanBasis(sys: ReducedSystem, rhs: RightHandSides, maxSize = rhs.count - 1): SpanBasis | null {
  const { count } = rhs;
  const nd = sys.dirichletNodes.length;
  const dirichlet: number[] = [];
  for (let d = 0; d < nd; d++) {
    const node = sys.dirichletNodes[d]!;
    let coupled = false;
    for (let p = sys.rowStart[node]!; p < sys.rowStart[node + 1]!; p++) if (sys.freeIndex[sys.colIndex[p]!]! >= 0) coupled = true;
    if (coupled && used(rhs.dirichletValues, nd, d, count)) dirichlet.push(d);
    if (dirichlet.length > maxSize) return null;
  }
  const injected = new Map<number, number[]>(); // node -> positions in injection.nodes
  const inj = rhs.injection;
  if (inj) {
    for (let q = 0; q < inj.nodes.length; q++) {
      if (!used(inj.values, inj.nodes.length, q, count)) continue;
      const list = injected.get(inj.nodes[q]!);
      if (list) list.push(q);
      else injected.set(inj.nodes[q]!, [q]);
      if (dirichlet.length + injected.size > maxSize) return null;
    }
  }
  const k = dirichlet.length + injected.size;
  if (k === 0) return null;
  const b = new Float64Array(sys.free.length * k);
  const coef = new Float64Array(k * count);
  dirichlet.forEach((d, j) => {
    const node = sys.dirichletNodes[d]!;
    for (let p = sys.rowStart[node]!; p < sys.rowStart[node + 1]!; p++) {
      const f = sys.freeIndex[sys.colIndex[p]!]!;
      if (f >= 0) b[f * k + j]! -= sys.values[p]!;
    }
    for (let r = 0; r < count; r++) coef[j * count + r] = rhs.dirichletValues[r * nd + d]!;
  });
  let j = dirichlet.length;
  for (const [node, positions] of injected) {
    b[sys.freeIndex[node]! * k + j] = 1;
    for (let r = 0; r < count; r++) {
      let s = 0;
      for (const q of positions) s += inj!.values[r * inj!.nodes.length + q]!;
      coef[j * count + r] = s;
    }
    j++;
  }
  return { size: k, b, coef };
}

/** `X = Z C`: the batch's free solutions from the basis solutions Z (`nf x k`, interleaved). */
export function combineBasis(z: Float64Array, basis: SpanBasis, count: number): Float64Array {
  const k = basis.size;
  const nf = z.length / k;
  const x = new Float64Array(nf * count);
  const { coef } = basis;
  for (let i = 0; i < nf; i++) {
    const xi = i * count;
    for (let j = 0; j < k; j++) {
      const v = z[i * k + j]!;
      if (v === 0) continue;
      const cj = j * count;
      for (let r = 0; r < count; r++) x[xi + r]! += v * coef[cj + r]!;
    }
  }
  return x;
}

/** Columns `cols` of an interleaved block (`rows x count`) as a block of their own. */
function pick(v: Float64Array, count: number, cols: readonly number[]): Float64Array {
  const rows = v.length / count;
  const out = new Float64Array(rows * cols.length);
  for (let i = 0; i < rows; i++) cols.forEach((c, j) => (out[i * cols.length + j] = v[i * count + c]!));
  return out;
}

/**
 * Solves a batch through its span basis when that saves solves, then checks every right-hand
 * side's residual; those that miss the solver's target are solved again on their own (warm
 * started for PCG). Returns null when the batch has no smaller basis.
 */
export function solveThroughBasis(sys: ReducedSystem, solver: FreeSolver, rhs: RightHandSides, b: Float64Array): SolveResult | null {
  const basis = spanBasis(sys, rhs);
  if (!basis) return null;
  const z = solver.solve(basis.b, basis.size);
  const x = combineBasis(z.x, basis, rhs.count);
  let result = finishSolve(sys, rhs, x, z.iterations, b);
  const missed: number[] = [];
  result.residuals.forEach((res, r) => {
    if (!(res <= solver.target)) missed.push(r);
  });
  if (missed.length === 0) return result;
  const again = solver.solve(pick(b, rhs.count, missed), missed.length, pick(x, rhs.count, missed));
  const nf = sys.free.length;
  for (let i = 0; i < nf; i++) missed.forEach((r, j) => (x[i * rhs.count + r] = again.x[i * missed.length + j]!));
  result = finishSolve(sys, rhs, x, z.iterations + again.iterations, b);
  return result;
}

