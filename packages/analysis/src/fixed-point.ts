/**
 * Fixed-point classification (paper 1 sec. 6; shared/THEORY.md "Coercivity and regularity").
 * A point is a `solution` when its residual vanishes (`max |r| <= solutionTolerance * scale`,
 * scale = spread of the input voltages; for AL the adjoint error is used, which vanishes exactly
 * when r does since D is invertible), a `spurious` fixed point when the update of the rule
 * vanishes although the loss does not, and `none` otherwise. "The update vanishes" is measured
 * scale-free: `alignment = |Op e| / (||Op||_2 |e|) <= fixedPointTolerance`, with `dk/dt = Op e`
 * (flow.ts). `alignment` is 0 also when `Op = 0`.
 */
import type { Rule } from '@ohmlab/learners';
import { multiplyVector, norm, singularValues, type Dense } from './dense.js';
import { flowOperator } from './flow.js';
import type { Linearisation } from './linearisation.js';
import { checkTolerance } from './validate-input.js';

export type FixedPointKind = 'solution' | 'spurious' | 'none';

export interface FixedPointOptions {
  /** Relative tolerance on the residual (default 1e-9). */
  readonly solutionTolerance?: number;
  /** Tolerance on the alignment `|Op e| / (||Op|| |e|)` (default 1e-8). */
  readonly fixedPointTolerance?: number;
}

export interface FixedPointReport {
  readonly kind: FixedPointKind;
  /** `|Op e| / (||Op||_2 |e|)`, in [0, 1]; 0 when the update vanishes. */
  readonly alignment: number;
  /** `|dk/dt|` of the zero-nudge flow. */
  readonly updateNorm: number;
  /** `max |r|` over samples and outputs, in volts (r = y^f - t). */
  readonly residualMax: number;
}

/** Classifies the point (module doc). */
export function classifyFixedPoint(lin: Linearisation, rule: Rule, options: FixedPointOptions = {}, M?: Dense): FixedPointReport {
  const solTol = checkTolerance('solutionTolerance', options.solutionTolerance ?? 1e-9);
  const fpTol = checkTolerance('fixedPointTolerance', options.fixedPointTolerance ?? 1e-8);
  const { operator, error } = flowOperator(lin, rule, M);
  const update = multiplyVector(operator, error);
  const opNorm = singularValues(operator)[0] ?? 0;
  const eNorm = norm(error);
  const updateNorm = norm(update);
  const alignment = opNorm > 0 && eNorm > 0 ? updateNorm / (opNorm * eNorm) : 0;
  let residualMax = 0;
  for (const r of lin.residual) residualMax = Math.max(residualMax, Math.abs(r));
  let lo = Infinity;
  let hi = -Infinity;
  for (const u of lin.batch.inputs) {
    lo = Math.min(lo, u);
    hi = Math.max(hi, u);
  }
  const scale = hi > lo ? hi - lo : Math.max(Math.abs(hi), 1);
  const kind: FixedPointKind = residualMax <= solTol * scale ? 'solution' : alignment <= fpTol ? 'spurious' : 'none';
  return { kind, alignment, updateNorm, residualMax };
}
