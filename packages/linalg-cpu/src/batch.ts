import { SolverError } from './errors.js';
import type { ReducedSystem } from './reduced-system.js';
import type { RightHandSides, SolveResult } from './solver.js';

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
  for (let i = 0; i < rhs.dirichletValues.length; i++) {
    if (!Number.isFinite(rhs.dirichletValues[i]!)) throw new SolverError(`dirichletValues[${i}] is ${rhs.dirichletValues[i]}; held voltages must be finite`);
  }
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
  const dv = rhs.dirichletValues;
  for (let k = 0; k < nf; k++) {
    const kb = k * count;
    for (let p = sys.fdStart[k]!; p < sys.fdStart[k + 1]!; p++) {
      const d = sys.fdCol[p]!;
      const a = sys.fdVal[p]!;
      for (let r = 0; r < count; r++) b[kb + r]! -= a * dv[r * nd + d]!;
    }
  }
  return b;
}

/** Floor of the residual's denominator (all-zero right-hand side). */
const TINY = 1e-300;

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
  const nf = sys.free.length;
  const nd = sys.dirichletNodes.length;
  const dv = rhs.dirichletValues;
  const voltages = new Float64Array(count * n);
  for (let k = 0; k < nf; k++) {
    const node = sys.free[k]!;
    for (let r = 0; r < count; r++) voltages[r * n + node] = xFree[k * count + r]!;
  }
  for (let r = 0; r < count; r++) for (let d = 0; d < nd; d++) voltages[r * n + sys.dirichletNodes[d]!] = dv[r * nd + d]!;
  const err2 = new Float64Array(count);
  const injected2 = new Float64Array(count);
  const coupling2 = new Float64Array(count);
  const lx = new Float64Array(count);
  const cp = new Float64Array(count);
  for (let k = 0; k < nf; k++) {
    lx.fill(0);
    cp.fill(0);
    for (let p = sys.ffStart[k]!; p < sys.ffStart[k + 1]!; p++) {
      const a = sys.ffVal[p]!;
      const jb = sys.ffCol[p]! * count;
      for (let r = 0; r < count; r++) lx[r]! += a * xFree[jb + r]!;
    }
    for (let p = sys.fdStart[k]!; p < sys.fdStart[k + 1]!; p++) {
      const a = sys.fdVal[p]!;
      const d = sys.fdCol[p]!;
      for (let r = 0; r < count; r++) cp[r]! += a * dv[r * nd + d]!;
    }
    const kb = k * count;
    for (let r = 0; r < count; r++) {
      const bi = b[kb + r]!;
      const inj = bi + cp[r]!;
      err2[r]! += (bi - lx[r]!) ** 2;
      injected2[r]! += inj * inj;
      coupling2[r]! += cp[r]! * cp[r]!;
    }
  }
  const dirichletCurrents = new Float64Array(count * nd);
  for (let d = 0; d < nd; d++) {
    const i = sys.dirichletNodes[d]!;
    for (let r = 0; r < count; r++) {
      let s = 0;
      for (let p = sys.rowStart[i]!; p < sys.rowStart[i + 1]!; p++) s += sys.values[p]! * voltages[r * n + sys.colIndex[p]!]!;
      dirichletCurrents[r * nd + d] = s;
    }
  }
  const residuals = new Float64Array(count);
  let maxResidual = 0;
  for (let r = 0; r < count; r++) {
    const res = Math.sqrt(err2[r]!) / Math.max(Math.sqrt(injected2[r]!) + Math.sqrt(coupling2[r]!), TINY);
    if (!Number.isFinite(res)) {
      throw new SolverError(`the residual of right-hand side ${r} is ${res}: its currents overflow float64; rescale the held voltages, currents or conductances`);
    }
    residuals[r] = res;
    if (!(res <= maxResidual)) maxResidual = res;
  }
  return { count, nodeCount: n, voltages, dirichletCurrents, residuals, maxResidual, iterations };
}
