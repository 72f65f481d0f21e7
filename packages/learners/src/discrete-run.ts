/**
 * The state of one discrete run (`createDiscreteTrainer`, `trainDiscrete`): the current point is
 * evaluated as soon as it is reached (velocity on the step's (mini-)batch, full-batch metrics when
 * due for a record, stopping rules), and each step applies that velocity, so a run split into
 * chunks evaluates exactly the same points, in the same order, as one uninterrupted run.
 * On the fused path (README "Fused path") the steps between record points run in the backend's
 * fused trainer; records, events and stops are the generic path's own (`fused-steps.ts`).
 */
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import type { DiscreteChunk, DiscreteSnapshot, DiscreteTrainer, DiscreteTrainerSetup } from './discrete-trainer.js';
import { LearnerConfigError } from './errors.js';
import { acceptChunk, ChunkBatches, FusedSteps, rejectChunk, type FusedChunk } from './fused-steps.js';
import { applyUpdate } from './generic-step.js';
import { Recorder, StagnationMonitor } from './recorder.js';
import { MiniBatchSchedule, sampleBatch, selectSamples, type SampleBatch } from './samples.js';
import { stopFromError, stopPointEvaluation, trainingResult } from './stop.js';
import { checkInteger } from './trainer-options.js';
import type { TrainingEvent, TrainingResult, TrainingStop } from './trainer-types.js';
import { TrainingModel, type Evaluation } from './training-model.js';
import { choosePath, type PathTracker } from './training-path.js';

/** Relative slack of the stop-rule pre-check on fused losses (they match the generic ones to ~1e-12). */
const STOP_SLACK = 1e-8;

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
  private readonly path: PathTracker;
  private fused: FusedSteps | null = null;
  private s = 0;
  /** Last step whose base loss went to `onProgress` and the stopping rules. */
  private checked = -1;
  /** The evaluation at step `s` (its velocity is the next update); null until evaluated. */
  private current: Evaluation | null = null;
  /** The mini-batch `current` was evaluated on (undefined for full batches). */
  private currentBatch: Uint32Array | undefined;
  /** Whether the stop point was recorded on the model's own problem (then its loss is final). */
  private finalOnOwnProblem = true;
  private busy = false;

  constructor(
    private readonly backend: SolverBackend,
    private readonly circuit: Circuit,
    private readonly options: DiscreteTrainerSetup,
  ) {
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
    this.path = choosePath(options.fused ?? 'auto', backend, circuit, this.model.kinds, options, this.recordEvery);
    this.path.fusedActive = this.path.kind === 'fused';
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
    const { resting, frozen } = model.boundaryFlags();
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
      path: this.path.value(this.s),
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
    this.releaseFused();
    return { ...trainingResult(this.model, this.recorder, this.events, this.stop, { step: this.s }, this.finalOnOwnProblem), path: this.path.value(this.s) };
  }

  dispose(): void {
    if (this.busy) throw new LearnerConfigError('dispose', 'called while a step() is still running; await it first');
    this.releaseFused();
  }

  /** Disposes the fused trainer; the run goes on (if at all) on the generic path. */
  private releaseFused(): void {
    this.fused?.dispose();
    this.fused = null;
    this.path.fusedActive = false;
  }

  /** Up to `n` steps; any stop is recorded at the step where it happened. */
  private async advance(n: number): Promise<void> {
    const target = this.s + n;
    try {
      this.checkOutputsLeft();
      if (this.path.fusedActive) await this.advanceFused(target);
      // on the fused path the end point is evaluated only when a record or a stopping rule needs it
      if (!this.path.fusedActive || this.s === this.budget || this.s % this.recordEvery === 0 || this.stopRulesActive()) await this.evaluateCurrent();
      while (this.s < target && !this.stop) {
        this.applyStep();
        if (!this.stop) await this.evaluateCurrent();
      }
    } catch (err) {
      this.stopWith(stopFromError(err, `step ${this.s}`));
    }
    if (this.stop) {
      await this.recordStop();
      this.releaseFused();
    }
  }

  /** Fused chunks from record point to record point until `target` (or a stop or a hand-over). */
  private async advanceFused(target: number): Promise<void> {
    while (this.path.fusedActive && !this.stop && this.s < target) {
      if (this.s === this.budget || this.s % this.recordEvery === 0) await this.evaluateCurrent();
      if (this.stop || !(await this.startFused())) return;
      const end = Math.min(target, this.budget, (Math.floor(this.s / this.recordEvery) + 1) * this.recordEvery);
      // mini-batches: the schedule's draws for the chunk, undone for the steps not taken
      const draws = this.schedule && ChunkBatches.draw(this.schedule, this.current ? this.currentBatch : undefined, end - this.s);
      let chunk: FusedChunk;
      try {
        chunk = await this.fused!.run(end - this.s, draws?.indices);
      } catch (err) {
        draws?.rewind(0);
        this.handOver(`the fused trainer failed (${(err as Error).message})`);
        return;
      }
      this.path.runsOn = chunk.runsOn;
      this.path.notes.push(...chunk.fallbacks);
      const short = chunk.applied !== end - this.s && !chunk.stopped ? `the fused trainer applied ${chunk.applied} of ${end - this.s} steps` : null;
      const problem = short ?? rejectChunk(this.model, chunk) ?? this.stopRuleWithin(chunk.loss);
      draws?.rewind(problem ? 0 : chunk.applied);
      if (problem) {
        this.handOver(`${problem}; the generic path redoes steps ${this.s}..${this.s + chunk.applied}`);
        return;
      }
      this.accept(chunk);
      if (chunk.stopped) this.handOver('the fused trainer stopped (a node lost its path to every input, or a resistance reached 0); the generic path reports the stop');
    }
  }

  /** Starts the fused trainer on first need; false when the run goes on the generic path instead. */
  private async startFused(): Promise<boolean> {
    if (this.fused) return true;
    const model = this.model;
    const resting = model.theta.some((t, j) => model.removed[j] || t <= model.level[j]!);
    const got = resting ? 'edges rest on their boundary' : await FusedSteps.start(this.backend, this.circuit, model, this.all, this.alpha, this.s, this.options.batchSize);
    if (typeof got === 'string') return this.declineFused(got);
    this.fused = got;
    this.path.runsOn = got.runsOn;
    const fallback = this.options.fused === 'require' ? null : await got.startFallback();
    return fallback === null || this.declineFused(`the backend runs its fused trainer on the CPU (${fallback})`);
  }

  /** The fused trainer cannot take this run: `require` throws, `auto` goes generic. */
  private declineFused(reason: string): false {
    this.releaseFused();
    if (this.options.fused === 'require') throw new LearnerConfigError('fused', `is "require", but ${reason}`);
    this.path.kind = 'generic';
    this.path.reason = reason;
    this.path.runsOn = undefined;
    return false;
  }

  /** The rest of the run goes on the generic path from step `s` (the model holds that step's state). */
  private handOver(reason: string): void {
    this.path.notes.push(`generic from step ${this.s}: ${reason}`);
    this.releaseFused();
  }

  /** Takes a checked chunk: events, parameters, step, progress and stopping-rule history. */
  private accept(chunk: FusedChunk): void {
    acceptChunk(this.model, chunk, this.events);
    const s0 = this.s;
    this.s += chunk.applied;
    // with no step taken, the evaluation at s (and its drawn mini-batch) stays the next update
    if (chunk.applied > 0) this.current = null;
    this.path.fusedSteps += chunk.applied;
    chunk.loss.forEach((loss, i) => this.checkPoint(s0 + i, loss));
  }

  private stopRulesActive(): boolean {
    return this.tolerance > 0 || this.options.stagnation !== undefined;
  }

  /** Whether the stopping rules could fire within a chunk of fused losses (starting at step `s`). */
  private stopRuleWithin(loss: Float64Array): string | null {
    const fresh = loss.subarray(Math.max(0, this.checked + 1 - this.s));
    if (fresh.some((l) => l <= this.tolerance * (1 + STOP_SLACK)) || this.stagnation.firstStop(fresh, STOP_SLACK) >= 0) {
      return 'a stopping rule may fire within the chunk';
    }
    return null;
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
    const indices = this.schedule?.next();
    const batch = indices ? selectSamples(all, indices) : all;
    const ev = await model.evaluate(model.theta, batch, `step ${s}`, s % this.recordEvery === 0 ? all : undefined);
    if (ev.metrics) this.record(ev);
    this.checkPoint(s, ev.baseLoss);
    this.current = ev;
    this.currentBatch = indices;
  }

  /** Progress and stopping rules for the base loss of step `s` (once per step). */
  private checkPoint(s: number, loss: number): void {
    if (s <= this.checked || this.stop) return;
    this.checked = s;
    this.options.onProgress?.({ fraction: Number.isFinite(this.budget) ? s / this.budget : 0, step: s, loss });
    if (loss <= this.tolerance) {
      this.stop = { reason: 'loss-tolerance', message: `base loss ${loss} <= tolerance ${this.tolerance} at step ${s}` };
    } else if (this.stagnation.push(loss)) {
      this.stop = { reason: 'stagnation', message: `base loss ${loss} stagnated at step ${s}` };
    }
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

  /** Records step `s` (once: a point redone after a hand-over is not recorded twice). */
  private record(ev: Evaluation): void {
    const { model } = this;
    if (this.recorder.isAt(this.s, model.theta)) return;
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
