/**
 * Discrete trainer: the physical rule step by step (THEORY.md "Learning rules"; paper 1 sec. 8):
 * `theta <- theta + alpha v(theta)`, with `v` the rule's velocity averaged over the (mini-)batch,
 * then the boundary rule.
 */
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { LearnerConfigError } from './errors.js';
import { Recorder, StagnationMonitor } from './recorder.js';
import { MiniBatchSchedule, sampleBatch, selectSamples } from './samples.js';
import { finalLoss, stopFromError } from './stop.js';
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
  if (recorder.last !== step && stop.reason !== 'disconnected' && stop.reason !== 'boundary') {
    const ev = await model.evaluate(model.theta, all, `step ${step}`, all);
    recorder.record(step, ev.metrics!, model.kinds, model.theta, model.conductances());
  }
  return {
    history: recorder.history(),
    final: { conductances: model.conductances(model.theta, false), parameters: model.theta.slice(), loss: await finalLoss(model), step },
    events,
    stop,
    removedEdges: model.removedEdges.slice(),
  };
}

function applyStep(model: TrainingModel, velocity: Float64Array, alpha: number, step: number, events: TrainingEvent[]): void {
  const before = model.theta.slice();
  for (let j = 0; j < velocity.length; j++) model.theta[j] = model.theta[j]! + alpha * velocity[j]!;
  for (const j of model.crossings(before, model.theta)) events.push(model.hitBoundary(j, { step }));
  // edges already resting at the level stay there (their velocity was clamped to >= 0)
}
