/**
 * Coercivity matrices and constants (shared/THEORY.md "Coercivity and regularity"; paper 1
 * sec. 5, Lemma 5.4; derivations in this package's README).
 *
 * With S samples, the columns of every matrix below come in S blocks of p (sample-major):
 * - `M = [diag(dv^f_s) W]_s` (m x Sp), `W = A L_c^{-1} B`. Output Jacobian `dy_s/dk = -M_s^T`.
 *   EP zero-nudge flow: `dk/dt = M r / S`, so `dL/dt = -|M r|^2 / S^2 <= -2 c_EP L`,
 *   `c_EP = sigma_min(M)^2 / S`.
 * - CL: `dk/dt = M (I (x) D) r / S`; the weighted loss `L_CL = mean_s r_s^T D r_s / 2` obeys
 *   `dL_CL/dt = -|M (I (x) D) r|^2 / S^2 + C`, dissipative term `<= -2 c_CL L_CL` with
 *   `c_CL = sigma_min(M (I (x) D^{1/2}))^2 / S`, and cubic term `|C| <= c3 L_CL^{3/2}`,
 *   `c3 = sqrt(2 S) max|dv^f| ||W D^{1/2}||^3`.
 * - AL: `N = [diag(dv^r_s) W D]_s`; `dmu/dk = N^T`, `dk/dt = -N mu / S`, so
 *   `dL_AL/dt = -|N mu|^2 / S^2 <= -2 c_AL L_AL`, `c_AL = sigma_min(N)^2 / S`.
 * When `Sp > m` the smallest singular value is 0 (more constraints than parameters).
 */
import type { Circuit } from '@ohmlab/graph';
import type { Rule } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { multiply, rightMultiplyBlocks, singularValues, symmetricSqrt, type Dense } from './dense.js';
import { linearise, type Linearisation } from './linearisation.js';
import { checkRule } from './validate-input.js';

/** `[diag(drops_s) B]_s`, m x (S * B.cols). */
function scaledBlocks(drops: Float64Array, S: number, B: Dense): Dense {
  const m = B.rows;
  const p = B.cols;
  const data = new Float64Array(m * S * p);
  for (let j = 0; j < m; j++) {
    for (let s = 0; s < S; s++) {
      const d = drops[s * m + j]!;
      for (let i = 0; i < p; i++) data[j * S * p + s * p + i] = d * B.data[j * p + i]!;
    }
  }
  return { rows: m, cols: S * p, data };
}

/** The matrix `M` of THEORY.md (m x Sp): column `(s, i)` = free drops of sample s times `W[:, i]`. */
export function coercivityMatrix(lin: Linearisation): Dense {
  return scaledBlocks(lin.freeDrops, lin.sampleCount, lin.responseDrops);
}

/** The AL matrix `N = [diag(dv^r_s) W D]_s` (m x Sp); `dmu_s/dk = N_s^T`. */
export function adjointCoercivityMatrix(lin: Linearisation): Dense {
  return scaledBlocks(lin.referenceDrops, lin.sampleCount, multiply(lin.responseDrops, lin.dirichletToNeumann));
}

/** Output Jacobian `dy/dk = -M^T` (Sp x m, row `(s, i)` = gradient of output i of sample s). */
export function outputJacobian(lin: Linearisation, M: Dense = coercivityMatrix(lin)): Dense {
  const data = new Float64Array(M.rows * M.cols);
  for (let j = 0; j < M.rows; j++) for (let c = 0; c < M.cols; c++) data[c * M.rows + j] = -M.data[j * M.cols + c]!;
  return { rows: M.cols, cols: M.rows, data };
}

/** `sigma_min^2 / S` where `sigma_min` is the Sp-th singular value (0 when Sp > m). */
function constantOf(sv: Float64Array, columns: number, S: number): number {
  if (columns > sv.length) return 0;
  const s = sv[columns - 1] ?? 0;
  return (s * s) / S;
}

/** All coercivity constants of one point (see the module doc for the formulas). */
export interface CoercivityConstants {
  /** `c_EP = sigma_min(M)^2 / S`: `dL/dt <= -2 c_EP L` along the EP zero-nudge flow. */
  readonly ep: number;
  /** `c_CL = sigma_min(M (I (x) D^{1/2}))^2 / S`: bound on the dissipative part of `dL_CL/dt`. */
  readonly cl: number;
  /** `c_AL = sigma_min(N)^2 / S`: `dL_AL/dt <= -2 c_AL L_AL` along the AL flow. */
  readonly al: number;
  /** `c3` with `|cubic term of dL_CL/dt| <= c3 L_CL^{3/2}`. */
  readonly clCubic: number;
  /** `L_CL` below `(2 c_CL / c3)^2` decays (dissipation beats the cubic bound); 0 when c_CL = 0, Infinity if c3 = 0 < c_CL. */
  readonly clBasin: number;
  /** Singular values of M (descending). */
  readonly singularValues: Float64Array;
  /** Singular values of N (descending). */
  readonly adjointSingularValues: Float64Array;
}

/** Computes {@link CoercivityConstants} from a linearisation. */
export function coercivityConstants(lin: Linearisation, M: Dense = coercivityMatrix(lin)): CoercivityConstants {
  const S = lin.sampleCount;
  const cols = M.cols;
  const sv = singularValues(M);
  const { sqrt } = symmetricSqrt(lin.dirichletToNeumann);
  const svCl = singularValues(rightMultiplyBlocks(M, sqrt));
  const svAl = singularValues(adjointCoercivityMatrix(lin));
  const kappa = singularValues(multiply(lin.responseDrops, sqrt))[0] ?? 0;
  let maxDrop = 0;
  for (const d of lin.freeDrops) maxDrop = Math.max(maxDrop, Math.abs(d));
  const clCubic = Math.sqrt(2 * S) * maxDrop * kappa ** 3;
  const cl = constantOf(svCl, cols, S);
  return {
    ep: constantOf(sv, cols, S),
    cl,
    al: constantOf(svAl, cols, S),
    clCubic,
    clBasin: cl > 0 ? (clCubic > 0 ? (2 * cl / clCubic) ** 2 : Infinity) : 0,
    singularValues: sv,
    adjointSingularValues: svAl,
  };
}

/**
 * Convenience: the coercivity constant of `rule` (`c_EP`, `c_CL` or `c_AL` above) of `circuit` at
 * `conductances` (default its own), in `1/(S^2 s)` per unit learning rate. One linearisation.
 */
export async function coercivityConstantOf(backend: SolverBackend, circuit: Circuit, rule: Rule, conductances?: Float64Array): Promise<number> {
  checkRule(rule);
  const lin = await linearise(backend, circuit, conductances ? { conductances } : {});
  return coercivityConstants(lin)[rule];
}
