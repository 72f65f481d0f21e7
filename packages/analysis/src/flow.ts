/**
 * Zero-nudge learning flows in conductance space, from the linearisation (shared/THEORY.md
 * "Learning rules"), mean over samples (paper 2 eq. 4.13):
 * - EP `dk/dt = M r / S` (= -grad L), CL `dk/dt = M (I (x) D) r / S`, AL `dk/dt = -N mu / S`
 *   (= -grad L_AL); `M`, `N` as in coercivity.ts.
 * Also the clamped-state drops `dvh_s` whose squares give the finite-nudge correction
 * `g(eta) = g(0) + (eta / 2) mean_s dvh_s^2` (exact in linear circuits).
 */
import type { Rule } from '@ohmlab/learners';
import { multiply, multiplyVector, rightMultiplyBlocks, type Dense } from './dense.js';
import { adjointCoercivityMatrix, coercivityMatrix } from './coercivity.js';
import type { Linearisation } from './linearisation.js';
import { checkRule } from './validate-input.js';

/** The operator `Op` and error vector `e` with `dk/dt = Op e` for `rule` (Op is m x Sp). */
export function flowOperator(lin: Linearisation, rule: Rule, M: Dense = coercivityMatrix(lin)): { operator: Dense; error: Float64Array } {
  checkRule(rule);
  const S = lin.sampleCount;
  let op: Dense;
  let e: Float64Array;
  if (rule === 'ep') {
    op = M;
    e = lin.residual;
  } else if (rule === 'cl') {
    op = rightMultiplyBlocks(M, lin.dirichletToNeumann);
    e = lin.residual;
  } else {
    const N = adjointCoercivityMatrix(lin);
    op = { rows: N.rows, cols: N.cols, data: N.data.map((x) => -x) };
    e = lin.adjointError;
  }
  const data = op.data.map((x) => x / S);
  return { operator: { rows: op.rows, cols: op.cols, data }, error: e };
}

/** Conductance velocity `dk/dt` of the zero-nudge flow of `rule` (length m). */
export function conductanceVelocity(lin: Linearisation, rule: Rule, M?: Dense): Float64Array {
  const { operator, error } = flowOperator(lin, rule, M);
  return multiplyVector(operator, error);
}

/**
 * `h_j = mean_s (dvh_{s,j})^2` with the clamped drops of `rule` (THEORY.md "States"):
 * EP `dvh = -W r`, CL `dvh = -W D r`, AL `dvh = W D mu`.
 */
export function clampedDropSquares(lin: Linearisation, rule: Rule): Float64Array {
  checkRule(rule);
  const { sampleCount: S, outputCount: p, edgeCount: m } = lin;
  const B = rule === 'ep' ? lin.responseDrops : multiply(lin.responseDrops, lin.dirichletToNeumann);
  const e = rule === 'al' ? lin.adjointError : lin.residual;
  const sign = rule === 'al' ? 1 : -1;
  const h = new Float64Array(m);
  for (let s = 0; s < S; s++) {
    const dvh = multiplyVector(B, e.subarray(s * p, (s + 1) * p));
    for (let j = 0; j < m; j++) h[j]! += (sign * dvh[j]!) ** 2 / S;
  }
  return h;
}
