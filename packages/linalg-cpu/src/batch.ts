import { SolverError } from './errors.js';
import type { ReducedSystem } from './reduced-system.js';
import type { RightHandSides, SolveResult } from './solver.js';

/** Index of the first entry that is not finite, or -1. */
function firstNonFinite(v: Float64Array): number {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return i;
  return -1;
}

/**
 * Right-hand sides of the free block, node-major interleaved (`b[k * count + r]`, k = free index):
 * `b_F = injected_F - L_FD x_D`. Validates the batch.
 */
export function freeRightHandSides(sys: ReducedSystem, rhs: RightHandSides): Float64Array {
  const { count } = rhs;
  const nd = sys.dirichletNodes.length;
  if (!Number.isInteger(count) || count < 1) throw new SolverError(`count must be a positive integer, got ${count}`);
  if (rhs.dirichletValues.length !== count * nd) {
    throw new SolverError(`dirichletValues has ${rhs.dirichletValues.length} entries; expected count x dirichletNodes = ${count} x ${nd}`);
  }
  const bad = firstNonFinite(rhs.dirichletValues);
  if (bad >= 0) throw new SolverError(`dirichletValues[${bad}] is ${rhs.dirichletValues[bad]}; held voltages must be finite`);
  const nf = sys.free.length;
  const b = new Float64Array(nf * count);
  if (rhs.injection) {
    const { nodes, values } = rhs.injection;
    if (values.length !== count * nodes.length) throw new SolverError(`injection.values has ${values.length} entries; expected count x injection.nodes = ${count} x ${nodes.length}`);
    for (let q = 0; q < nodes.length; q++) {
      const node = nodes[q]!;
      if (node >= sys.nodeCount) throw new SolverError(`injection node ${node} is out of range 0..${sys.nodeCount - 1}`);
      const k = sys.freeIndex[node]!;
      if (k < 0) throw new SolverError(`injection at node ${node}, which is a Dirichlet node; inject only at free nodes`);
      for (let r = 0; r < count; r++) {
        const v = values[r * nodes.length + q]!;
        if (!Number.isFinite(v)) throw new SolverError(`injection.values[${r * nodes.length + q}] is ${v}; currents must be finite`);
        b[k * count + r]! += v;
      }
    }
  }
  subtractCoupling(sys.fdStart, sys.fdCol, sys.fdVal, nd, rhs.dirichletValues, b, count);
  return b;
}

/** `b -= L_FD x_D` for every right-hand side (`dv`: `count x |D|`, RHS-major; L_FD in CSR). */
function subtractCoupling(fdStart: Int32Array, fdCol: Int32Array, fdVal: Float64Array, nd: number, dv: Float64Array, b: Float64Array, count: number): void {
  for (let k = 0; k < fdStart.length - 1; k++) {
    const kb = k * count;
    for (let p = fdStart[k]!; p < fdStart[k + 1]!; p++) {
      const d = fdCol[p]!;
      const a = fdVal[p]!;
      for (let r = 0; r < count; r++) b[kb + r]! -= a * dv[r * nd + d]!;
    }
  }
}

/** Floor of the residual's denominator (all-zero right-hand side). */
const TINY = 1e-300;

/*
 * The loops below run once per solve over every free node. Each is a function of its own with
 * nothing but the loop in it (arrays come from the caller): V8 compiles such a loop on its first
 * long run (on-stack replacement) and keeps that code, where code around a loop that ran before
 * the function had type feedback would throw the compiled code away again on the next call.
 */

/** Free voltages into `voltages` (`count x n`, RHS-major). */
function scatterFreeVoltages(free: Uint32Array, n: number, xFree: Float64Array, count: number, voltages: Float64Array): void {
  for (let k = 0; k < free.length; k++) {
    const node = free[k]!;
    for (let r = 0; r < count; r++) voltages[r * n + node] = xFree[k * count + r]!;
  }
}

/**
 * Sums over the free rows, per RHS r: `sums[r]` = |b - L_FF x_F|^2, `sums[count + r]` =
 * |b + L_FD x_D|^2 (the injected currents), `sums[2 count + r]` = |L_FD x_D|^2; entries
 * `3 count ..` are scratch for the row being summed.
 */
function residualSums(sys: ReducedSystem, xFree: Float64Array, dv: Float64Array, b: Float64Array, count: number, sums: Float64Array): void {
  const nd = sys.dirichletNodes.length;
  const { ffStart, ffCol, ffVal, fdStart, fdCol, fdVal } = sys;
  const acc = 3 * count;
  const cpl = 4 * count;
  for (let k = 0; k < ffStart.length - 1; k++) {
    const kb = k * count;
    for (let r = 0; r < count; r++) {
      sums[acc + r] = b[kb + r]!;
      sums[cpl + r] = 0;
    }
    for (let p = ffStart[k]!; p < ffStart[k + 1]!; p++) {
      const a = ffVal[p]!;
      const jb = ffCol[p]! * count;
      for (let r = 0; r < count; r++) sums[acc + r]! -= a * xFree[jb + r]!;
    }
    for (let p = fdStart[k]!; p < fdStart[k + 1]!; p++) {
      const a = fdVal[p]!;
      const d = fdCol[p]!;
      for (let r = 0; r < count; r++) sums[cpl + r]! += a * dv[r * nd + d]!;
    }
    for (let r = 0; r < count; r++) {
      const res = sums[acc + r]!;
      const cp = sums[cpl + r]!;
      const inj = b[kb + r]! + cp;
      sums[r]! += res * res;
      sums[count + r]! += inj * inj;
      sums[2 * count + r]! += cp * cp;
    }
  }
}

/** `(L x)` at the held nodes into `currents` (`count x |D|`, RHS-major), from the full solution. */
function heldCurrents(sys: ReducedSystem, voltages: Float64Array, count: number, currents: Float64Array): void {
  const n = sys.nodeCount;
  const nd = sys.dirichletNodes.length;
  for (let d = 0; d < nd; d++) {
    const i = sys.dirichletNodes[d]!;
    for (let r = 0; r < count; r++) {
      let s = 0;
      for (let p = sys.rowStart[i]!; p < sys.rowStart[i + 1]!; p++) s += sys.values[p]! * voltages[r * n + sys.colIndex[p]!]!;
      currents[r * nd + d] = s;
    }
  }
}

/**
 * Assembles the solve result from the free solution `xFree` and the free right-hand sides `b`
 * (both node-major interleaved, `b` from `freeRightHandSides`): voltages, Dirichlet currents
 * `(L x)_D` computed from the full solution (so KCL balances them exactly), and per-RHS relative
 * residuals `|b_F - (L x)_F| / max(|b_F| + |L_FD x_D|, tiny)` in float64 (solver.ts
 * `SolveResult.residuals`; here `b_F` are the injected currents, and `injected - (L x)_F` is
 * evaluated as `b - L_FF x_F` with `b = injected - L_FD x_D`).
 */
export function finishSolve(sys: ReducedSystem, rhs: RightHandSides, xFree: Float64Array, iterations: number, b: Float64Array): SolveResult {
  const { count } = rhs;
  const n = sys.nodeCount;
  const nd = sys.dirichletNodes.length;
  const dv = rhs.dirichletValues;
  const voltages = new Float64Array(count * n);
  scatterFreeVoltages(sys.free, n, xFree, count, voltages);
  for (let r = 0; r < count; r++) for (let d = 0; d < nd; d++) voltages[r * n + sys.dirichletNodes[d]!] = dv[r * nd + d]!;
  const sums = new Float64Array(5 * count);
  residualSums(sys, xFree, dv, b, count, sums);
  const dirichletCurrents = new Float64Array(count * nd);
  heldCurrents(sys, voltages, count, dirichletCurrents);
  const residuals = new Float64Array(count);
  let maxResidual = 0;
  for (let r = 0; r < count; r++) {
    const res = Math.sqrt(sums[r]!) / Math.max(Math.sqrt(sums[count + r]!) + Math.sqrt(sums[2 * count + r]!), TINY);
    residuals[r] = res;
    if (!Number.isFinite(res)) {
      throw new SolverError(`the residual of right-hand side ${r} is ${res}: its currents overflow float64; rescale the held voltages, currents or conductances`);
    }
    if (!(res <= maxResidual)) maxResidual = res;
  }
  return { count, nodeCount: sys.nodeCount, voltages, dirichletCurrents, residuals, maxResidual, iterations };
}
