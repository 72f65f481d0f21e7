/**
 * Discrete trainer: the physical rule step by step (THEORY.md "Learning rules"; paper 1 sec. 8):
 * `theta <- theta + alpha v(theta)`, with `v` the rule's velocity averaged over the (mini-)batch,
 * then the boundary rule.
 */
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { LearnerConfigError, LearnerNumericalError } from './errors.js';
import { RESISTANCE, conservedMass } from './parametrisation.js';
import { Recorder, StagnationMonitor } from './recorder.js';
import { MiniBatchSchedule, sampleBatch, selectSamples } from './samples.js';
import { finalLoss, recordIfSolvable, stopFromError } from './stop.js';
import type { TrainerOptions, TrainingEvent, TrainingResult, StopReason } from './trainer-types.js';
import { TrainingModel } from './training-model.js';

/** Options of {@link trainDiscrete}. */
export interface DiscreteTrainerOptions extends TrainerOptions {
  /** Learning rate alpha (> 0). */
  readonly alpha: number;
  /** Step budget (>= 0). */
  readonly steps: number;
  /** Samples per step; default all (full batch). Mini-batches are drawn by a seeded shuffle. */
  readonly batchSize?: number;
  readonly seed?: number;
  /** Record every this many steps (default: so that about 1000 points are kept). Always records step 0 and the last. */
  readonly recordEvery?: number;
}

/**
 * Trains `circuit` with the discrete physical rule. Stops at the step budget, the loss tolerance,
 * stagnation, or when the circuit can no longer be solved (disconnection: reported in `stop` and
 * as a `stopped` event, never a singular solve).
 */
export async function trainDiscrete(backend: SolverBackend, circuit: Circuit, options: DiscreteTrainerOptions): Promise<TrainingResult> {
  const { alpha, steps } = options;
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new LearnerConfigError('alpha', `must be finite and > 0, got ${alpha}`);
  if (!Number.isInteger(steps) || steps < 0) throw new LearnerConfigError('steps', `must be an integer >= 0, got ${steps}`);
  const recordEvery = options.recordEvery ?? Math.max(1, Math.ceil(steps / 1000));
  if (!Number.isInteger(recordEvery) || recordEvery < 1) throw new LearnerConfigError('recordEvery', `must be a positive integer, got ${recordEvery}`);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new LearnerConfigError('seed', `must be an integer, got ${options.seed}`);
  const model = new TrainingModel(backend, circuit, options);
  const all = sampleBatch(circuit);
  const schedule = options.batchSize !== undefined ? new MiniBatchSchedule(all.count, options.batchSize, options.seed ?? 0) : undefined;
  const recorder = new Recorder('step', options.recordConductances ?? true);
  const stagnation = new StagnationMonitor(options.stagnation);
  const tolerance = options.lossTolerance ?? 0;
  const events: TrainingEvent[] = [];
  let stop: { reason: StopReason; message: string } = { reason: 'budget', message: `step budget of ${steps} reached` };
  let step = 0;
  try {
    for (;; step++) {
      const wantRecord = step % recordEvery === 0 || step === steps;
      if (step === steps) {
        const ev = await model.evaluate(model.theta, all, `step ${step}`, all);
        recorder.record(step, ev.metrics!, model.kinds, model.theta, model.conductances());
        break;
      }
      const batch = schedule ? selectSamples(all, schedule.next()) : all;
      const ev = await model.evaluate(model.theta, batch, `step ${step}`, wantRecord ? all : undefined);
      if (ev.metrics) recorder.record(step, ev.metrics, model.kinds, model.theta, model.conductances());
      options.onProgress?.({ fraction: steps > 0 ? step / steps : 1, step, loss: ev.baseLoss });
      if (ev.baseLoss <= tolerance) {
        stop = { reason: 'loss-tolerance', message: `base loss ${ev.baseLoss} <= tolerance ${tolerance} at step ${step}` };
        break;
      }
      if (stagnation.push(ev.baseLoss)) {
        stop = { reason: 'stagnation', message: `base loss ${ev.baseLoss} stagnated at step ${step}` };
        break;
      }
      applyStep(model, ev.velocity, alpha, step + 1, events);
    }
  } catch (err) {
    stop = stopFromError(err, `step ${step}`);
    events.push({ kind: 'stopped', edge: -1, step, message: stop.message });
  }
  if (!recorder.isAt(step, model.theta)) {
    await recordIfSolvable(async () => {
      const ev = await model.evaluate(model.theta, all, `step ${step}`, all);
      recorder.record(step, ev.metrics!, model.kinds, model.theta, model.conductances());
    });
  }
  return {
    history: recorder.history(),
    final: { conductances: model.conductances(model.theta, false), parameters: model.theta.slice(), loss: await finalLoss(model, recorder.isAt(step, model.theta) ? recorder.loss.at(-1) : undefined), step },
    events,
    stop,
    removedEdges: model.removedEdges.slice(),
  };
}

/**
 * `theta += alpha v`, then the boundary rule. A step that would make a parameter or the conserved
 * mass non-finite is not applied: it throws LearnerNumericalError (training stops with `non-finite`
 * at the last finite parameters).
 */
function applyStep(model: TrainingModel, velocity: Float64Array, alpha: number, step: number, events: TrainingEvent[]): void {
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
  for (const j of crossed) events.push(model.hitBoundary(j, { step }));
  // edges already resting at the level stay there (their velocity was clamped to >= 0)
}
