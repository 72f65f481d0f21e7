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
  for (let d = 0; d < nd; d++) {
    const node = sys.dirichletNodes[d]!;
    for (let p = sys.rowStart[node]!; p < sys.rowStart[node + 1]!; p++) {
      const k = sys.freeIndex[sys.colIndex[p]!]!;
      if (k < 0) continue;
      const a = sys.values[p]!;
      for (let r = 0; r < count; r++) b[k * count + r]! -= a * rhs.dirichletValues[r * nd + d]!;
    }
  }
  return b;
}

/** Floor of the residual's denominator (all-zero right-hand side). */
const TINY = 1e-300;

/**
 * Assembles the solve result from the free solution (node-major interleaved): voltages, Dirichlet
 * currents `(L x)_D` computed from the full solution (so KCL balances them exactly), and per-RHS
 * relative residuals `|b_F - (L x)_F| / max(|b_F| + |L_FD x_D|, tiny)` in float64 on the full
 * Laplacian (solver.ts `SolveResult.residuals`).
 */
export function finishSolve(sys: ReducedSystem, rhs: RightHandSides, xFree: Float64Array, iterations: number): SolveResult {
  const { count } = rhs;
  const n = sys.nodeCount;
  const nd = sys.dirichletNodes.length;
  const voltages = new Float64Array(count * n);
  for (let k = 0; k < sys.free.length; k++) {
    const node = sys.free[k]!;
    for (let r = 0; r < count; r++) voltages[r * n + node] = xFree[k * count + r]!;
  }
  for (let r = 0; r < count; r++) {
    for (let d = 0; d < nd; d++) voltages[r * n + sys.dirichletNodes[d]!] = rhs.dirichletValues[r * nd + d]!;
  }
  const injected = new Float64Array(count * n);
  if (rhs.injection) {
    const { nodes, values } = rhs.injection;
    for (let r = 0; r < count; r++) for (let q = 0; q < nodes.length; q++) injected[r * n + nodes[q]!]! += values[r * nodes.length + q]!;
  }
  const dirichletCurrents = new Float64Array(count * nd);
  const residuals = new Float64Array(count);
  let maxResidual = 0;
  for (let r = 0; r < count; r++) {
    const x = voltages.subarray(r * n, (r + 1) * n);
    let err2 = 0;
    let injected2 = 0;
    let coupling2 = 0;
    for (let k = 0; k < sys.free.length; k++) {
      const i = sys.free[k]!;
      let lx = 0;
      let coupling = 0;
      for (let p = sys.rowStart[i]!; p < sys.rowStart[i + 1]!; p++) {
        const t = sys.values[p]! * x[sys.colIndex[p]!]!;
        lx += t;
        if (sys.freeIndex[sys.colIndex[p]!]! < 0) coupling += t;
      }
      const bi = injected[r * n + i]!;
      err2 += (bi - lx) ** 2;
      injected2 += bi * bi;
      coupling2 += coupling * coupling;
    }
    for (let d = 0; d < nd; d++) {
      const i = sys.dirichletNodes[d]!;
      let lx = 0;
      for (let p = sys.rowStart[i]!; p < sys.rowStart[i + 1]!; p++) lx += sys.values[p]! * x[sys.colIndex[p]!]!;
      dirichletCurrents[r * nd + d] = lx;
    }
    const res = Math.sqrt(err2) / Math.max(Math.sqrt(injected2) + Math.sqrt(coupling2), TINY);
    residuals[r] = res;
    if (!(res <= maxResidual)) maxResidual = res;
  }
  return { count, nodeCount: n, voltages, dirichletCurrents, residuals, maxResidual, iterations };
}
