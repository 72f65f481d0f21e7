import { SolverError } from '@ohmlab/linalg-cpu';
import type { RightHandSides, SolveResult } from '@ohmlab/linalg-cpu';
import type { LaplacianSystem } from './laplacian-system.js';

/** Free-block right-hand sides and the per-RHS scale of the relative residual. */
export interface FreeRightHandSides {
  /** `count x nf`, RHS-major: `b_F = injected_F - L_FD x_D`. */
  readonly b: Float64Array;
  /** `sqrt(sum_F injected^2 + (L_FD x_D)^2)` per RHS: the denominator of `SolveResult.residuals`. */
  readonly scale: Float64Array;
}

/** Validates a batch against the system; throws `SolverError` saying which field is wrong. */
export function validateRightHandSides(sys: LaplacianSystem, rhs: RightHandSides): void {
  const { count } = rhs;
  const nd = sys.dirichletNodes.length;
  if (!Number.isInteger(count) || count < 1) throw new SolverError(`count must be a positive integer, got ${count}`);
  if (rhs.dirichletValues.length !== count * nd) {
    throw new SolverError(`dirichletValues has ${rhs.dirichletValues.length} entries; expected count x dirichletNodes = ${count} x ${nd}`);
  }
  for (let i = 0; i < rhs.dirichletValues.length; i++) {
    if (!Number.isFinite(rhs.dirichletValues[i]!)) throw new SolverError(`dirichletValues[${i}] is ${rhs.dirichletValues[i]}; held voltages must be finite`);
  }
  if (!rhs.injection) return;
  const { nodes, values } = rhs.injection;
  if (values.length !== count * nodes.length) {
    throw new SolverError(`injection.values has ${values.length} entries; expected count x injection.nodes = ${count} x ${nodes.length}`);
  }
  for (let q = 0; q < nodes.length; q++) {
    const node = nodes[q]!;
    if (node >= sys.nodeCount) throw new SolverError(`injection node ${node} is out of range 0..${sys.nodeCount - 1}`);
    if (sys.freeIndex[node]! < 0) throw new SolverError(`injection at node ${node}, which is a Dirichlet node; inject only at free nodes`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new SolverError(`injection.values[${i}] is ${values[i]}; currents must be finite`);
  }
}

/** `b_F = injected_F - L_FD x_D` for every RHS (float64), with the residual scales. */
export function freeRightHandSides(sys: LaplacianSystem, rhs: RightHandSides): FreeRightHandSides {
  validateRightHandSides(sys, rhs);
  const { count } = rhs;
  const nf = sys.free.length;
  const nd = sys.dirichletNodes.length;
  const injected = new Float64Array(count * nf);
  if (rhs.injection) {
    const { nodes, values } = rhs.injection;
    for (let r = 0; r < count; r++) {
      for (let q = 0; q < nodes.length; q++) injected[r * nf + sys.freeIndex[nodes[q]!]!]! += values[r * nodes.length + q]!;
    }
  }
  const coupling = new Float64Array(count * nf);
  for (let d = 0; d < nd; d++) {
    const node = sys.dirichletNodes[d]!;
    for (let p = sys.rowStart[node]!; p < sys.rowStart[node + 1]!; p++) {
      const k = sys.freeIndex[sys.colIndex[p]!]!;
      if (k < 0) continue;
      const a = sys.values[p]!;
      for (let r = 0; r < count; r++) coupling[r * nf + k]! += a * rhs.dirichletValues[r * nd + d]!;
    }
  }
  const b = new Float64Array(count * nf);
  const scale = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    let s2 = 0;
    for (let k = r * nf; k < (r + 1) * nf; k++) {
      b[k] = injected[k]! - coupling[k]!;
      s2 += injected[k]! ** 2 + coupling[k]! ** 2;
    }
    scale[r] = Math.sqrt(s2);
  }
  return { b, scale };
}

/** Relative residual of each RHS: `|res_r| / scale_r` (`|res_r|` alone when the scale is 0). */
export function relativeResiduals(res: Float64Array, scale: Float64Array, count: number): Float64Array {
  const nf = res.length / count;
  const out = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    let e2 = 0;
    for (let k = r * nf; k < (r + 1) * nf; k++) e2 += res[k]! ** 2;
    out[r] = scale[r]! > 0 ? Math.sqrt(e2) / scale[r]! : Math.sqrt(e2);
  }
  return out;
}

/**
 * The `SolveResult` from the free solution `xFree` (`count x nf`, RHS-major): voltages, Dirichlet
 * currents `(L x)_D` (float64 on the full Laplacian) and the residuals already measured.
 */
export function assembleSolveResult(
  sys: LaplacianSystem,
  rhs: RightHandSides,
  xFree: Float64Array,
  residuals: Float64Array,
  iterations: number,
): SolveResult {
  const { count } = rhs;
  const n = sys.nodeCount;
  const nf = sys.free.length;
  const nd = sys.dirichletNodes.length;
  const voltages = new Float64Array(count * n);
  const dirichletCurrents = new Float64Array(count * nd);
  let maxResidual = 0;
  for (let r = 0; r < count; r++) {
    const o = r * n;
    for (let k = 0; k < nf; k++) voltages[o + sys.free[k]!] = xFree[r * nf + k]!;
    for (let d = 0; d < nd; d++) voltages[o + sys.dirichletNodes[d]!] = rhs.dirichletValues[r * nd + d]!;
    for (let d = 0; d < nd; d++) {
      const i = sys.dirichletNodes[d]!;
      let lx = 0;
      for (let p = sys.rowStart[i]!; p < sys.rowStart[i + 1]!; p++) lx += sys.values[p]! * voltages[o + sys.colIndex[p]!]!;
      dirichletCurrents[r * nd + d] = lx;
    }
    const res = residuals[r]!;
    if (!(res <= maxResidual)) maxResidual = res;
  }
  return { count, nodeCount: n, voltages, dirichletCurrents, residuals, maxResidual, iterations };
}
