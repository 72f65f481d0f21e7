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
import type { StepStates } from './step-states.js';

function accumulateProducts(
  circuit: Circuit,
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  count: number,
  g: Float64Array,
  scale: number,
): void {
  const n = circuit.nodeCount;
  const from = circuit.edgeFrom;
  const to = circuit.edgeTo;
  const m = from.length;
  for (let s = 0; s < count; s++) {
    const ao = aOffset + s * n;
    const bo = bOffset + s * n;
    for (let j = 0; j < m; j++) {
      const u = from[j]!;
      const w = to[j]!;
      g[j] = g[j]! + scale * (a[ao + u]! - a[ao + w]!) * (b[bo + u]! - b[bo + w]!);
    }
  }
}

/** Adds `scale * sum_s ((dv^a)^2 - (dv^b)^2)` = `scale * sum_s (dv^a - dv^b)(dv^a + dv^b)`. */
function accumulateSquareDifference(
  circuit: Circuit,
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  count: number,
  g: Float64Array,
  scale: number,
): void {
  const n = circuit.nodeCount;
  const from = circuit.edgeFrom;
  const to = circuit.edgeTo;
  const m = from.length;
  for (let s = 0; s < count; s++) {
    const ao = aOffset + s * n;
    const bo = bOffset + s * n;
    for (let j = 0; j < m; j++) {
      const u = from[j]!;
      const w = to[j]!;
      const da = a[ao + u]! - a[ao + w]!;
      const db = b[bo + u]! - b[bo + w]!;
      g[j] = g[j]! + scale * (da - db) * (da + db);
    }
  }
}

/**
 * The per-edge contrast `g_j` of the rule (see module doc), mean over the samples, length = edge
 * count of `circuit` (all edges, including absent ones whose drops follow from node voltages).
 */
export function edgeContrast(circuit: Circuit, states: StepStates): Float64Array {
  const g = new Float64Array(circuit.edgeFrom.length);
  const x0 = states.base.voltages;
  const S = states.base.count;
  if (states.nudge === 'zero') {
    const xh = states.clamped!.voltages;
    accumulateProducts(circuit, x0, 0, xh, 0, S, g, 1 / S);
  } else if (states.nudge === 'finite') {
    accumulateSquareDifference(circuit, states.nudged!.voltages, 0, x0, 0, S, g, 1 / (2 * states.eta * S));
  } else {
    const xs = states.nudged!.voltages;
    accumulateSquareDifference(circuit, xs, 0, xs, S * circuit.nodeCount, S, g, 1 / (4 * states.eta * S));
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
