/**
 * Per-edge parametrisations of the conductance (paper 2, Lemma 3.2, Theorems 3.3-3.4, Example 3.5;
 * THEORY.md "Invariants"). The energy is `1/2 sum_j f(theta_j) dv_j^2` with
 * - `conductance`: `k = f(theta) = theta`, `f' = 1`;
 * - `resistance`:  `k = 1 / theta` (theta = R in ohms), `f' = -1 / R^2`;
 * - `log`:         `k = exp(theta)`, `f' = exp(theta)`.
 * The physical rule changes theta by `-(alpha / eta) (dE/dtheta(x^eta) - dE/dtheta(x^0))` with
 * `dE/dtheta_j = f'(theta_j) dv_j^2 / 2`, i.e. `dtheta_j = -alpha f'(theta_j) g_j` where `g_j` is
 * the same contrast in `dE/dk_j` that the conductance rule uses (chain rule). The zero-nudge flow
 * conserves `sum_j Phi(theta_j)` with `Phi' = f / f'`: `k^2/2`, `-R^2/2`, `theta`.
 */
import { LearnerConfigError } from './errors.js';

/** How one edge's conductance is parametrised. */
export type Parametrisation = 'conductance' | 'resistance' | 'log';

/** One parametrisation for all edges, or one per edge. */
export type ParametrisationSpec = Parametrisation | readonly Parametrisation[];

/** Numeric codes in a per-edge `Uint8Array`. */
export const CONDUCTANCE = 0;
export const RESISTANCE = 1;
export const LOG = 2;

const CODES: Record<Parametrisation, number> = { conductance: CONDUCTANCE, resistance: RESISTANCE, log: LOG };

/** Expands a spec to per-edge codes (0 conductance, 1 resistance, 2 log), validating it. */
export function parametrisationKinds(spec: ParametrisationSpec, edgeCount: number): Uint8Array {
  const kinds = new Uint8Array(edgeCount);
  if (typeof spec === 'string') {
    const c = CODES[spec];
    if (c === undefined) throw new LearnerConfigError('parametrisation', `must be "conductance", "resistance" or "log", got ${JSON.stringify(spec)}`);
    kinds.fill(c);
    return kinds;
  }
  if (spec.length !== edgeCount) {
    throw new LearnerConfigError('parametrisation', `per-edge list has ${spec.length} entries, the circuit has ${edgeCount} edges`);
  }
  spec.forEach((s, j) => {
    const c = CODES[s];
    if (c === undefined) throw new LearnerConfigError(`parametrisation[${j}]`, `must be "conductance", "resistance" or "log", got ${JSON.stringify(s)}`);
    kinds[j] = c;
  });
  return kinds;
}

/** theta from conductances k (all > 0): `k`, `1/k` or `log k` per edge. */
export function parametersFromConductances(kinds: Uint8Array, k: Float64Array): Float64Array {
  const theta = new Float64Array(k.length);
  for (let j = 0; j < k.length; j++) {
    const kj = k[j]!;
    if (!(kj > 0) || !Number.isFinite(kj)) throw new LearnerConfigError(`conductances[${j}]`, `must be finite and > 0, got ${kj}`);
    theta[j] = kinds[j] === CONDUCTANCE ? kj : kinds[j] === RESISTANCE ? 1 / kj : Math.log(kj);
  }
  return theta;
}

/** Conductances `k_j = f(theta_j)` into `out`. A conductance-kind theta of 0 gives k = 0 (absent edge). */
export function conductancesFromParameters(kinds: Uint8Array, theta: Float64Array, out = new Float64Array(theta.length)): Float64Array {
  for (let j = 0; j < theta.length; j++) {
    const t = theta[j]!;
    out[j] = kinds[j] === CONDUCTANCE ? t : kinds[j] === RESISTANCE ? 1 / t : Math.exp(t);
  }
  return out;
}

/** `f'(theta_j) = dk_j / dtheta_j`: 1, `-1/R^2`, `exp(theta)`. */
export function conductanceDerivative(kind: number, theta: number): number {
  return kind === CONDUCTANCE ? 1 : kind === RESISTANCE ? -1 / (theta * theta) : Math.exp(theta);
}

/**
 * The conserved quantity ("mass", THEORY.md "Invariants"): `sum k^2` for conductances,
 * `sum R^2` for resistances, `sum theta` for log-conductances; for a mixed choice
 * `2 sum_j Phi(theta_j) = sum_cond k^2 - sum_res R^2 + 2 sum_log theta`.
 */
export function conservedMass(kinds: Uint8Array, theta: Float64Array): number {
  let sc = 0;
  let sr = 0;
  let sl = 0;
  let seen = 0;
  for (let j = 0; j < theta.length; j++) {
    const t = theta[j]!;
    const c = kinds[j]!;
    seen |= 1 << c;
    if (c === CONDUCTANCE) sc += t * t;
    else if (c === RESISTANCE) sr += t * t;
    else sl += t;
  }
  if (seen === 1 << CONDUCTANCE) return sc;
  if (seen === 1 << RESISTANCE) return sr;
  if (seen === 1 << LOG) return sl;
  return sc - sr + 2 * sl;
}
