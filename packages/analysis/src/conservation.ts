/**
 * Conservation report (shared/THEORY.md "Invariants"; paper 2 Lemma 3.2, Theorems 3.3-3.4,
 * eq. 4.11-4.12). For a parametrisation `k = f(theta)` the rule moves `dtheta/dt = f'(theta) v`
 * with `v` the conductance velocity of the zero-nudge flow; the mass reported by
 * `conservedMass` of @ohmlab/learners (`sum k^2`, `sum R^2`, `sum theta`, or the mixed sum) then
 * changes at `sum_j (d mass / d theta_j) f'(theta_j) v_j`: 0 for EP and CL, `-4 L_AL` for AL with
 * conductances (`sum_j k_j dk_j/dt = -2 L_AL`). A finite one-sided nudge adds
 * `-(eta / 2) h` to `v` (h = mean squared clamped drops), so the mass drifts at
 * `massRate + eta * driftPerEta`.
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
import { clampedDropSquares, conductanceVelocity } from './flow.js';
import type { Linearisation } from './linearisation.js';

/** See the module doc. */
export interface ConservationReport {
  readonly parametrisation: ParametrisationSpec;
  /** `conservedMass(kinds, theta)` at the current point. */
  readonly conservedQuantity: number;
  /** d(conservedQuantity)/dt along the zero-nudge flow of the rule. */
  readonly massRate: number;
  /** `sum_j k_j dk_j/dt` along the zero-nudge flow (0 for EP, CL; `-2 L_AL` for AL). */
  readonly conductanceWork: number;
  /** d(mass)/dt of a finite one-sided nudge is `massRate + eta * driftPerEta`. */
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

/** Conservation report of `rule` at the linearised point (module doc). */
export function conservationReport(lin: Linearisation, rule: Rule, parametrisation: ParametrisationSpec = 'conductance', M?: Dense): ConservationReport {
  const m = lin.edgeCount;
  const kinds = parametrisationKinds(parametrisation, m);
  const theta = parametersFromConductances(kinds, lin.conductances);
  const w = massGradient(kinds, theta);
  const v = conductanceVelocity(lin, rule, M);
  const h = clampedDropSquares(lin, rule);
  let rate = 0;
  let drift = 0;
  let work = 0;
  for (let j = 0; j < m; j++) {
    if (!(lin.conductances[j]! > 0)) continue; // absent edges do not move
    const d = conductanceDerivative(kinds[j]!, theta[j]!);
    // the rule is dtheta/dt = -f' g with contrast g = -v, so dtheta/dt = f' v
    rate += w[j]! * d * v[j]!;
    drift += w[j]! * d * (-0.5 * h[j]!);
    work += lin.conductances[j]! * v[j]!;
  }
  return { parametrisation, conservedQuantity: conservedMass(kinds, theta), massRate: rate, conductanceWork: work, driftPerEta: drift };
}
