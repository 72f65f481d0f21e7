/**
 * Learning rules EP, CL, AL (THEORY.md "Learning rules"; paper 1 sec. 3-4, paper 2 eq. 4.4-4.6, 4.13).
 *
 * Every rule is written as a contrast `g_j` in `dE/dk_j = dv_j^2 / 2`, averaged over the samples
 * of the batch (paper 2, eq. 4.13), such that the conductance rule is `k_j <- k_j - alpha g_j`:
 * - `finite`:    `g_j = mean_s ((dv^eta_j)^2 - (dv^0_j)^2) / (2 eta)`;
 * - `symmetric`: `g_j = mean_s ((dv^{+eta}_j)^2 - (dv^{-eta}_j)^2) / (4 eta)`;
 * - `zero`:      `g_j = mean_s dv^0_j dvh_j` (EP: `g = grad L`; AL: `g = grad L_AL`).
 * `x^0` is the free state (EP, CL) or the AL reference state; `dv = x[from] - x[to]`.
 * For a parametrisation `k = f(theta)` the update is `dtheta_j = -alpha f'(theta_j) g_j`.
 */
import type { Circuit } from '@ohmlab/graph';
import { conductanceDerivative } from './parametrisation.js';
import type { StateBasis } from './state-basis.js';
import type { StepStates } from './step-states.js';

/**
 * `g_j += scale * sum_s pair(dv^a_sj, dv^b_sj)` over `count` states of `a` (from row `aOffset`)
 * and `b` (from row `bOffset`), `pair` = product (`square = false`) or `(da - db)(da + db)`
 * (`square = true`, i.e. `da^2 - db^2`). Four samples per pass over the edges (half the time of
 * one at a time, measured in the README's profile).
 */
function accumulate(
  circuit: Circuit,
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  count: number,
  g: Float64Array,
  scale: number,
  square: boolean,
): void {
  const n = circuit.nodeCount;
  const from = circuit.edgeFrom;
  const to = circuit.edgeTo;
  const m = from.length;
  const acc = new Float64Array(m);
  const pair = (x: Float64Array, xo: number, y: Float64Array, yo: number, u: number, w: number): number => {
    const dx = x[xo + u]! - x[xo + w]!;
    const dy = y[yo + u]! - y[yo + w]!;
    return square ? (dx - dy) * (dx + dy) : dx * dy;
  };
  let s = 0;
  for (; s + 3 < count; s += 4) {
    const a0 = (aOffset + s) * n;
    const b0 = (bOffset + s) * n;
    for (let j = 0; j < m; j++) {
      const u = from[j]!;
      const w = to[j]!;
      acc[j] = acc[j]! + pair(a, a0, b, b0, u, w) + pair(a, a0 + n, b, b0 + n, u, w)
        + pair(a, a0 + 2 * n, b, b0 + 2 * n, u, w) + pair(a, a0 + 3 * n, b, b0 + 3 * n, u, w);
    }
  }
  for (; s < count; s++) {
    const a0 = (aOffset + s) * n;
    const b0 = (bOffset + s) * n;
    for (let j = 0; j < m; j++) acc[j] = acc[j]! + pair(a, a0, b, b0, from[j]!, to[j]!);
  }
  for (let j = 0; j < m; j++) g[j] = g[j]! + scale * acc[j]!;
}

/**
 * The contrast from states factored over one basis (README "One factorization per step"): with
 * drops `W` (K x m) of the basis states and `dv_s = W^T a_s`, every rule's sum over samples is
 * `g_j = sum_kl W_kj W_lj M_kl` with the K x K matrix `M = scale * sum_s x_s y_s^T` of the
 * coefficient rows (`x = a, y = h` for a product; `x = a - b, y = a + b` for a square difference).
 * Cost `O(S K^2 + m K^2)`, no node voltages formed.
 */
function factoredContrast(circuit: Circuit, basis: StateBasis, pairs: [Float64Array, number, Float64Array, number][], count: number, scale: number, square: boolean): Float64Array {
  const K = basis.size;
  const M = new Float64Array(K * K);
  for (const [a, ar, b, br] of pairs) {
    for (let s = 0; s < count; s++) {
      const ao = (ar + s) * K;
      const bo = (br + s) * K;
      for (let k = 0; k < K; k++) {
        const x = square ? a[ao + k]! - b[bo + k]! : a[ao + k]!;
        if (x === 0) continue;
        for (let l = 0; l < K; l++) M[k * K + l] = M[k * K + l]! + scale * x * (square ? a[ao + l]! + b[bo + l]! : b[bo + l]!);
      }
    }
  }
  // g_j = w_j^T M w_j with w_j the K basis drops on edge j: drops row by row, then one streaming
  // pass per pair k <= l of the symmetric part of M
  const { edgeFrom: from, edgeTo: to } = circuit;
  const n = basis.nodeCount;
  const X = basis.voltages;
  const m = from.length;
  const W = new Float64Array(K * m);
  for (let k = 0; k < K; k++) {
    const xo = k * n;
    const wo = k * m;
    for (let j = 0; j < m; j++) W[wo + j] = X[xo + from[j]!]! - X[xo + to[j]!]!;
  }
  const g = new Float64Array(m);
  for (let k = 0; k < K; k++) {
    for (let l = k; l < K; l++) {
      const c = k === l ? M[k * K + k]! : M[k * K + l]! + M[l * K + k]!;
      if (c === 0) continue;
      const wk = k * m;
      const wl = l * m;
      for (let j = 0; j < m; j++) g[j] = g[j]! + c * W[wk + j]! * W[wl + j]!;
    }
  }
  return g;
}

/** The basis shared by the base state and the other states of a step, if all are factored over it. */
function sharedBasis(states: StepStates): StateBasis | undefined {
  const basis = states.base.factored?.basis;
  const other = (states.clamped ?? states.nudged)?.factored?.basis;
  return basis && other === basis ? basis : undefined;
}

/**
 * The per-edge contrast `g_j` of the rule (see module doc), mean over the samples, length = edge
 * count of `circuit` (all edges, including absent ones whose drops follow from node voltages).
 * States factored over one basis use {@link factoredContrast}; others their node voltages.
 */
export function edgeContrast(circuit: Circuit, states: StepStates): Float64Array {
  const S = states.base.count;
  const basis = sharedBasis(states);
  if (basis) {
    const a = states.base.factored!.coefficients;
    if (states.nudge === 'zero') return factoredContrast(circuit, basis, [[a, 0, states.clamped!.factored!.coefficients, 0]], S, 1 / S, false);
    const x = states.nudged!.factored!.coefficients;
    if (states.nudge === 'finite') return factoredContrast(circuit, basis, [[x, 0, a, 0]], S, 1 / (2 * states.eta * S), true);
    return factoredContrast(circuit, basis, [[x, 0, x, S]], S, 1 / (4 * states.eta * S), true);
  }
  const g = new Float64Array(circuit.edgeFrom.length);
  const x0 = states.base.voltages;
  if (states.nudge === 'zero') {
    accumulate(circuit, x0, 0, states.clamped!.voltages, 0, S, g, 1 / S, false);
  } else if (states.nudge === 'finite') {
    accumulate(circuit, states.nudged!.voltages, 0, x0, 0, S, g, 1 / (2 * states.eta * S), true);
  } else {
    const xs = states.nudged!.voltages;
    accumulate(circuit, xs, 0, xs, S, S, g, 1 / (4 * states.eta * S), true);
  }
  return g;
}

/**
 * Velocity of the parameters per unit learning rate: `v_j = -f'(theta_j) g_j`, so one discrete
 * step is `theta += alpha v` and the continuous-time flow is `dtheta/dt = v`.
 */
export function parameterVelocity(kinds: Uint8Array, theta: Float64Array, contrast: Float64Array, out = new Float64Array(theta.length)): Float64Array {
  for (let j = 0; j < theta.length; j++) out[j] = -conductanceDerivative(kinds[j]!, theta[j]!) * contrast[j]!;
  return out;
}
