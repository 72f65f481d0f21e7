/**
 * The state of one discrete run (`createDiscreteTrainer`, `trainDiscrete`): the current point is
 * evaluated as soon as it is reached (velocity on the step's (mini-)batch, full-batch metrics when
 * due for a record, stopping rules), and each step applies that velocity, so a run split into
 * chunks evaluates exactly the same points, in the same order, as one uninterrupted run.
 */
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import type { DiscreteChunk, DiscreteSnapshot, DiscreteTrainer, DiscreteTrainerSetup } from './discrete-trainer.js';
import { LearnerConfigError, LearnerNumericalError } from './errors.js';
import { RESISTANCE, conservedMass, LOG } from './parametrisation.js';
import { Recorder, StagnationMonitor } from './recorder.js';
import { MiniBatchSchedule, sampleBatch, selectSamples, type SampleBatch } from './samples.js';
import { stopFromError, stopPointEvaluation, trainingResult } from './stop.js';
import { checkInteger } from './trainer-options.js';
import type { TrainingEvent, TrainingResult, TrainingStop } from './trainer-types.js';
import { TrainingModel, type Evaluation } from './training-model.js';

export class DiscreteRun implements DiscreteTrainer {
  stop: TrainingStop | null = null;
  private readonly model: TrainingModel;
  private readonly all: SampleBatch;
  private readonly schedule: MiniBatchSchedule | undefined;
  private readonly recorder: Recorder;
  private readonly stagnation: StagnationMonitor;
  private readonly events: TrainingEvent[] = [];
  private readonly alpha: number;
  private readonly budget: number;
  private readonly recordEvery: number;
  private readonly tolerance: number;
  private s = 0;
  /** The evaluation at step `s` (its velocity is the next update); null until evaluated. */
  private current: Evaluation | null = null;
  /** Whether the stop point was recorded on the model's own problem (then its loss is final). */
  private finalOnOwnProblem = true;
  private busy = false;

  constructor(backend: SolverBackend, circuit: Circuit, private readonly options: DiscreteTrainerSetup) {
    const { alpha, steps } = options;
    if (!(alpha > 0) || !Number.isFinite(alpha)) throw new LearnerConfigError('alpha', `must be finite and > 0, got ${alpha}`);
    checkInteger('steps', steps, 0);
    this.budget = steps ?? Number.POSITIVE_INFINITY;
    this.recordEvery = options.recordEvery ?? (steps === undefined ? 1 : Math.max(1, Math.ceil(steps / 1000)));
    if (!Number.isInteger(this.recordEvery) || this.recordEvery < 1) throw new LearnerConfigError('recordEvery', `must be a positive integer, got ${this.recordEvery}`);
    if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new LearnerConfigError('seed', `must be an integer, got ${options.seed}`);
    this.alpha = alpha;
    this.model = new TrainingModel(backend, circuit, options);
    this.all = sampleBatch(circuit);
    this.schedule = options.batchSize !== undefined ? new MiniBatchSchedule(this.all.count, options.batchSize, options.seed ?? 0) : undefined;
    this.recorder = new Recorder('step', options.recordConductances ?? true);
    this.stagnation = new StagnationMonitor(options.stagnation);
    this.tolerance = options.lossTolerance ?? 0;
    // with `restrict`, a circuit given with parts cut off from the inputs starts restricted
    this.events.push(...this.model.restrictAfterBoundary({ step: 0 }));
  }

  get stepCount(): number {
    return this.s;
  }

  async step(n = 1): Promise<DiscreteChunk> {
    checkInteger('n', n, 0);
    if (this.busy) throw new LearnerConfigError('step', 'called while an earlier step() or finish() is still running; await it first');
    this.busy = true;
    const points = this.recorder.length;
    const events = this.events.length;
    try {
      if (!this.stop) await this.advance(n);
    } finally {
      this.busy = false;
    }
    return { history: this.recorder.since(points), events: this.events.slice(events), step: this.s, stop: this.stop };
  }

  snapshot(): DiscreteSnapshot {
    const { model } = this;
    const m = model.theta.length;
    const resting = new Uint8Array(m);
    const frozen = new Uint8Array(m);
    for (let j = 0; j < m; j++) {
      resting[j] = model.removed[j] || (model.kinds[j] !== LOG && model.theta[j]! <= model.level[j]!) ? 1 : 0;
      frozen[j] = model.problem.outside[j]!;
    }
    return {
      step: this.s,
      parameters: model.theta.slice(),
      conductances: model.conductances(model.theta, false),
      resting,
      removed: model.removed.slice(),
      frozen,
      removedEdges: model.removedEdges.slice(),
      cutOutputs: model.cutOutputs.slice(),
      history: this.recorder.since(0),
      events: this.events.slice(),
      stop: this.stop,
    };
  }

  async finish(): Promise<TrainingResult> {
    if (this.busy) throw new LearnerConfigError('finish', 'called while a step() is still running; await it first');
    if (!this.stop) {
      this.stop = { reason: 'budget', message: `stopped by the caller at step ${this.s}` };
      this.busy = true;
      try {
        await this.recordStop();
      } finally {
        this.busy = false;
      }
    }
    return trainingResult(this.model, this.recorder, this.events, this.stop, { step: this.s }, this.finalOnOwnProblem);
  }

  /** Up to `n` steps; any stop is recorded at the step where it happened. */
  private async advance(n: number): Promise<void> {
    try {
      this.checkOutputsLeft();
      await this.evaluateCurrent();
      for (let i = 0; i < n && !this.stop; i++) {
        this.applyStep();
        if (!this.stop) await this.evaluateCurrent();
      }
    } catch (err) {
      this.stopWith(stopFromError(err, `step ${this.s}`));
    }
    if (this.stop) await this.recordStop();
  }

  /** Evaluates step `s` once: records it when due, reports progress, checks the stopping rules. */
  private async evaluateCurrent(): Promise<void> {
    if (this.current || this.stop) return;
    const { model, all, s } = this;
    if (s === this.budget) {
      const ev = await model.evaluate(model.theta, all, `step ${s}`, all);
      this.record(ev);
      this.stop = { reason: 'budget', message: `step budget of ${this.budget} reached` };
      return;
    }
    const batch = this.schedule ? selectSamples(all, this.schedule.next()) : all;
    const ev = await model.evaluate(model.theta, batch, `step ${s}`, s % this.recordEvery === 0 ? all : undefined);
    if (ev.metrics) this.record(ev);
    this.options.onProgress?.({ fraction: Number.isFinite(this.budget) ? s / this.budget : 0, step: s, loss: ev.baseLoss });
    if (ev.baseLoss <= this.tolerance) {
      this.stop = { reason: 'loss-tolerance', message: `base loss ${ev.baseLoss} <= tolerance ${this.tolerance} at step ${s}` };
    } else if (this.stagnation.push(ev.baseLoss)) {
      this.stop = { reason: 'stagnation', message: `base loss ${ev.baseLoss} stagnated at step ${s}` };
    }
    this.current = ev;
  }

  /** Applies the update evaluated at step `s` (then the boundary rule and any restriction). */
  private applyStep(): void {
    const crossed = applyUpdate(this.model, this.current!.velocity, this.alpha, this.s + 1, this.events);
    this.s++;
    this.current = null;
    if (crossed === 0) return;
    this.events.push(...this.model.restrictAfterBoundary({ step: this.s }));
    this.checkOutputsLeft();
  }

  /** With `restrict`: stops when no output is left. */
  private checkOutputsLeft(): void {
    if (this.stop || this.model.problem.outputCount > 0) return;
    this.stopWith({ reason: 'disconnected', message: `step ${this.s}: no output node has a path to an input any more (outputs cut: ${this.model.cutOutputs.join(', ')})` });
  }

  private stopWith(stop: TrainingStop): void {
    this.stop = stop;
    this.events.push({ kind: 'stopped', edge: -1, step: this.s, message: stop.message });
  }

  private record(ev: Evaluation): void {
    const { model } = this;
    this.recorder.record(this.s, ev.metrics!, model.kinds, model.theta, model.conductances());
  }

  /** Records the stop point unless it already is (see `stopPointEvaluation`). */
  private async recordStop(): Promise<void> {
    const { model } = this;
    if (this.recorder.isAt(this.s, model.theta)) return;
    const point = await stopPointEvaluation(model, this.all, `step ${this.s}`);
    this.finalOnOwnProblem = point?.on === 'own';
    if (point) this.recorder.record(this.s, point.ev.metrics!, model.kinds, model.theta, model.conductances(model.theta, false));
  }
}

/**
 * `theta += alpha v`, then the boundary rule; returns the number of edges that reached their
 * boundary. A step that would make a parameter or the conserved mass non-finite is not applied: it
 * throws LearnerNumericalError (training stops with `non-finite` at the last finite parameters).
 */
function applyUpdate(model: TrainingModel, velocity: Float64Array, alpha: number, step: number, events: TrainingEvent[]): number {
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
