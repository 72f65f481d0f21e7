/**
 * Conservation report (shared/THEORY.md "Invariants"; paper 2 Lemma 3.2, Theorems 3.3-3.4,
 * eq. 4.11-4.12). Rates are per unit learning rate (the flow `dk/dt = v`, `v` the conductance
 * velocity of the rule's zero-nudge flow, flow.ts).
 *
 * For a parametrisation `k = f(theta)` the rule moves `dtheta/dt = f'(theta) v`, and the mass
 * `conservedMass` of @ohmlab/learners (`sum k^2`, `sum R^2`, `sum theta`, or the mixed sum) changes at
 * `massRate = sum_j (d mass / d theta_j) f'(theta_j) v_j`: 0 for EP and CL (Theorem 3.3),
 * `-4 L_AL` for AL with conductances. The issue's "-2 L_AL" is the rate of HALF the squared norm:
 * `conductanceWork = sum_j k_j v_j = d/dt (1/2 sum_j k_j^2) = -2 L_AL` for the conductance flow
 * (L_AL is homogeneous of degree 2 in k; THEORY.md). Both are reported, under unambiguous names.
 *
 * A finite one-sided nudge changes `g` by `(eta / 2) h` exactly (linear circuits; `h` = mean squared
 * clamped drops), so `v -> v - (eta / 2) h` and the mass drifts at `massRate + eta * driftPerEta`,
 * `driftPerEta = -(1/2) sum_j (d mass / d theta_j) f'(theta_j) h_j` (paper 2 eq. 4.11-4.12: `< 0`
 * for conductances, the sign of `-eta`). Absent edges (k = 0) do not move and are left out of the mass.
 */
import {
  conductanceDerivative,
  conservedMass,
  CONDUCTANCE,
  LOG,
  parametersFromConductances,
  parametrisationKinds,
  RESISTANCE,
  type ParametrisationSpec,
  type Rule,
} from '@ohmlab/learners';
import type { Dense } from './dense.js';
import { AnalysisError } from './errors.js';
import { clampedDropSquares, conductanceVelocity } from './flow.js';
import type { Linearisation } from './linearisation.js';

/** See the module doc. Rates per unit learning rate, zero-nudge flow of the rule. */
export interface ConservationReport {
  readonly parametrisation: ParametrisationSpec;
  /** Formula of `conservedQuantity`, e.g. `sum_j k_j^2` (text, for reports and JSON). */
  readonly quantity: string;
  /** `conservedMass(kinds, theta)` at the current point (present edges only). */
  readonly conservedQuantity: number;
  /** d(conservedQuantity)/dt along the zero-nudge flow: 0 for EP, CL; `-4 L_AL` for AL with conductances. */
  readonly massRate: number;
  /**
   * `sum_j k_j v_j = d/dt (1/2 sum_j k_j^2)` along the conductance-parametrised flow `dk/dt = v`
   * (independent of `parametrisation`): 0 for EP, CL; `-2 L_AL` for AL.
   */
  readonly conductanceWork: number;
  /** d(conservedQuantity)/dt of a finite one-sided nudge is `massRate + eta * driftPerEta`. */
  readonly driftPerEta: number;
}

/** Gradient of `conservedMass` in theta (uniform and mixed normalisations as in learners). */
function massGradient(kinds: Uint8Array, theta: Float64Array): Float64Array {
  const uniform = kinds.every((c) => c === kinds[0]);
  return Float64Array.from(theta, (t, j) => {
    const c = kinds[j]!;
    if (c === CONDUCTANCE) return 2 * t;
    if (c === RESISTANCE) return uniform ? 2 * t : -2 * t;
    if (c === LOG) return uniform ? 1 : 2;
    return 0;
  });
}

/** Text formula of `conservedMass` for the given per-edge kinds. */
function quantityName(kinds: Uint8Array): string {
  const has = (c: number) => kinds.some((x) => x === c);
  const parts = [has(CONDUCTANCE) ? 'conductance' : '', has(RESISTANCE) ? 'resistance' : '', has(LOG) ? 'log' : ''].filter(Boolean);
  if (parts.length !== 1) return 'sum_{conductance edges} k_j^2 - sum_{resistance edges} R_j^2 + 2 sum_{log edges} theta_j';
  return parts[0] === 'conductance' ? 'sum_j k_j^2' : parts[0] === 'resistance' ? 'sum_j R_j^2' : 'sum_j theta_j (theta_j = ln k_j)';
}

/** Conservation report of `rule` at the linearised point (module doc). */
export function conservationReport(lin: Linearisation, rule: Rule, parametrisation: ParametrisationSpec = 'conductance', M?: Dense): ConservationReport {
  const m = lin.edgeCount;
  let allKinds: Uint8Array;
  try {
    allKinds = parametrisationKinds(parametrisation, m);
  } catch (e) {
    throw new AnalysisError('parametrisation', (e as Error).message);
  }
  const present = Array.from({ length: m }, (_, j) => j).filter((j) => lin.conductances[j]! > 0);
  const kinds = Uint8Array.from(present, (j) => allKinds[j]!);
  const theta = parametersFromConductances(kinds, Float64Array.from(present, (j) => lin.conductances[j]!));
  const w = massGradient(kinds, theta);
  const v = conductanceVelocity(lin, rule, M);
  const h = clampedDropSquares(lin, rule);
  let rate = 0;
  let drift = 0;
  let work = 0;
  present.forEach((j, q) => {
    const d = conductanceDerivative(kinds[q]!, theta[q]!);
    // the parametrised rule is dtheta/dt = -f' g with the conductance contrast g = -v
    rate += w[q]! * d * v[j]!;
    drift += w[q]! * d * (-0.5 * h[j]!);
    work += lin.conductances[j]! * v[j]!;
  });
  return { parametrisation, quantity: quantityName(kinds), conservedQuantity: conservedMass(kinds, theta), massRate: rate, conductanceWork: work, driftPerEta: drift };
}
