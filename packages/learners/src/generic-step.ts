/** The generic discrete update (one step of the physical rule, then the boundary rule). */
import { LearnerNumericalError } from './errors.js';
import { RESISTANCE, conservedMass } from './parametrisation.js';
import type { TrainingEvent } from './trainer-types.js';
import type { TrainingModel } from './training-model.js';

/**
 * `theta += alpha v`, then the boundary rule; returns the number of edges that reached their
 * boundary. A step that would make a parameter or the conserved mass non-finite is not applied: it
 * throws LearnerNumericalError (training stops with `non-finite` at the last finite parameters).
 */
export function applyUpdate(model: TrainingModel, velocity: Float64Array, alpha: number, step: number, events: TrainingEvent[]): number {
  const before = model.theta;
  const after = new Float64Array(before.length);
  for (let j = 0; j < velocity.length; j++) {
    after[j] = before[j]! + alpha * velocity[j]!;
    if (!Number.isFinite(after[j]!)) {
      throw new LearnerNumericalError(`the update would make the parameter of edge ${j} ${after[j]} (alpha = ${alpha} is too large); not applied`);
    }
  }
  const k = model.conductances(after, false);
  const j = k.findIndex((kj, i) => !Number.isFinite(kj) && !(model.kinds[i] === RESISTANCE && after[i]! <= 0));
  if (j >= 0) throw new LearnerNumericalError(`the update would make the conductance of edge ${j} ${k[j]} (alpha = ${alpha} is too large); not applied`);
  if (!Number.isFinite(conservedMass(model.kinds, after))) {
    throw new LearnerNumericalError(`the update would overflow the conserved mass (alpha = ${alpha} is too large); not applied`);
  }
  const crossed = model.crossings(before, after);
  model.theta.set(after);
  for (const e of crossed) events.push(model.hitBoundary(e, { step }));
  // edges already resting at the level stay there (their velocity was clamped to >= 0)
  return crossed.length;
}
