/**
 * Continuous-time trainer: integrates the rule's flow `dtheta/dt = alpha v(theta)` (the zero-nudge
 * flow `-f'(theta) mean_s dv^0 dvh`, or the finite/symmetric-nudge flow of paper 2 eq. 4.11) with
 * an adaptive Dormand-Prince 5(4) method. Boundary crossings (e.g. `k_j = 0`) are located in time
 * by the Illinois method on actual integrator steps (`boundary-events.ts`), put exactly on the
 * crossing by one Newton step on the gap, then the boundary rule (and, with `onDisconnect:
 * 'restrict'`, the restriction to the part still connected to an input) is applied and the
 * integration restarts from the event.
 */
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { arrivedAtBoundary, boundaryTolerance, imminentBoundary, locateEvent, moveOntoCrossing, trialStep } from './boundary-events.js';
import type { DormandPrinceStep } from './dormand-prince.js';
import { LearnerConfigError } from './errors.js';
import { Recorder, StagnationMonitor } from './recorder.js';
import { sampleBatch, type SampleBatch } from './samples.js';
import { stopFromError, stopPointEvaluation, trainingResult } from './stop.js';
import { checkInteger, checkPositive } from './trainer-options.js';
import type { TrainerOptions, TrainingEvent, TrainingResult, TrainingStop } from './trainer-types.js';
import { TrainingModel } from './training-model.js';

/** Options of {@link trainContinuous}. */
export interface ContinuousTrainerOptions extends TrainerOptions {
  /** Integrate over `[0, duration]`. */
  readonly duration: number;
  /** Rate multiplier: the flow is `dtheta/dt = alpha v(theta)` (default 1). */
  readonly alpha?: number;
  /** Number of record points, evenly spaced on `[0, duration]`, both ends included (>= 2; default 101). */
  readonly record?: number;
  /** Relative tolerance of the local error control (default 1e-9). */
  readonly rtol?: number;
  /** Absolute tolerance (default 1e-12). */
  readonly atol?: number;
  /** Cap on integrator step attempts (default 100000). */
  readonly maxSteps?: number;
}

/** Trains `circuit` along the continuous-time flow of the rule. See {@link ContinuousTrainerOptions}. */
export async function trainContinuous(backend: SolverBackend, circuit: Circuit, options: ContinuousTrainerOptions): Promise<TrainingResult> {
  const T = options.duration;
  if (!(T >= 0) || !Number.isFinite(T)) throw new LearnerConfigError('duration', `must be finite and >= 0, got ${T}`);
  checkInteger('record', options.record, 2);
  checkPositive('alpha', options.alpha);
  checkPositive('rtol', options.rtol);
  checkPositive('atol', options.atol);
  checkInteger('maxSteps', options.maxSteps, 1);
  const model = new TrainingModel(backend, circuit, options);
  const run = new ContinuousRun(model, sampleBatch(circuit), options);
  // with `restrict`, a circuit given with parts cut off from the inputs starts restricted
  run.events.push(...model.restrictAfterBoundary({ time: 0 }));
  let stop: TrainingStop;
  try {
    stop = await run.integrate();
  } catch (err) {
    stop = stopFromError(err, `time ${run.t}`);
    run.events.push({ kind: 'stopped', edge: -1, time: run.t, message: stop.message });
  }
  return run.result(stop);
}

/** The state of one continuous-time run. */
class ContinuousRun {
  t = 0;
  readonly events: TrainingEvent[] = [];
  private readonly recorder: Recorder;
  private readonly stagnation: StagnationMonitor;
  private readonly T: number;
  private readonly alpha: number;
  private readonly nRecord: number;
  /** Base loss at the current accepted point, and at the last evaluated stage. */
  private lastLoss = Number.NaN;
  private stageLoss = Number.NaN;
  /** Flow at the current point (null: to be evaluated), next step size, next record index, attempts. */
  private f0: Float64Array | null = null;
  private h: number;
  private ri = 1;
  private attempts = 0;

  constructor(
    private readonly model: TrainingModel,
    private readonly all: SampleBatch,
    private readonly options: ContinuousTrainerOptions,
  ) {
    this.recorder = new Recorder('time', options.recordConductances ?? true);
    this.stagnation = new StagnationMonitor(options.stagnation);
    this.T = options.duration;
    this.alpha = options.alpha ?? 1;
    this.nRecord = options.record ?? 101;
    this.h = this.T / 100;
  }

  /** The flow at a trial point (a stage); remembers its base loss. */
  private readonly flow = async (y: Float64Array): Promise<Float64Array> => {
    const ev = await this.model.evaluate(y, this.all, `time ${this.t}`);
    this.stageLoss = ev.baseLoss;
    return this.scaled(ev.velocity);
  };

  private scaled(v: Float64Array): Float64Array {
    if (this.alpha !== 1) for (let j = 0; j < v.length; j++) v[j] = this.alpha * v[j]!;
    return v;
  }

  /** The next record time. */
  private get target(): number {
    return (this.ri * this.T) / (this.nRecord - 1);
  }

  /** Records the metrics at the current point and returns the flow there. */
  private async recordAt(): Promise<Float64Array> {
    const { model } = this;
    const ev = await model.evaluate(model.theta, this.all, `time ${this.t}`, this.all);
    this.lastLoss = ev.baseLoss;
    this.recorder.record(this.t, ev.metrics!, model.kinds, model.theta, model.conductances());
    return this.scaled(ev.velocity);
  }

  /** Integrates to the time budget or a stop; returns why it stopped. */
  async integrate(): Promise<TrainingStop> {
    const tolerance = this.options.lossTolerance ?? 0;
    const maxSteps = this.options.maxSteps ?? 100_000;
    const rtol = this.options.rtol ?? 1e-9;
    const atol = this.options.atol ?? 1e-12;
    this.f0 = await this.recordAt();
    while (this.t < this.T) {
      if (this.model.problem.outputCount === 0) return this.noOutputLeft();
      if (this.lastLoss <= tolerance) return { reason: 'loss-tolerance', message: `base loss ${this.lastLoss} <= tolerance ${tolerance} at time ${this.t}` };
      const hMin = 1e-14 * Math.max(1, this.t);
      if (this.target - this.t <= hMin) {
        // an event put the run on a record time
        this.t = this.target;
        this.f0 = await this.recordAt();
        this.ri++;
        continue;
      }
      const hh = Math.min(this.h, this.target - this.t);
      const f0 = await this.currentFlow();
      if (!(hh > hMin) && this.attempts < maxSteps && this.snapImminent(f0, hMin)) continue;
      if (++this.attempts > maxSteps || !(hh > hMin)) {
        return { reason: 'step-cap', message: `integrator gave up at time ${this.t}: ${this.attempts > maxSteps ? `more than ${maxSteps} steps` : `step size ${hh} too small`}` };
      }
      const st = await trialStep(this.flow, this.model.theta, f0, hh, rtol, atol);
      if (!st || !(st.error <= 1)) {
        // a rejected step, or a stage beyond a boundary where the circuit cannot be solved
        this.h = hh * (st && Number.isFinite(st.error) ? Math.max(0.1, 0.9 * st.error ** -0.2) : 0.25);
        continue;
      }
      if (this.model.crossings(this.model.theta, st.y).length > 0) {
        await this.applyEvent(f0, hh, st);
        continue;
      }
      await this.accept(st, hh);
      if (this.stagnation.push(this.lastLoss)) return { reason: 'stagnation', message: `base loss ${this.lastLoss} stagnated at time ${this.t}` };
    }
    return { reason: 'budget', message: `time budget ${this.T} reached` };
  }

  private async currentFlow(): Promise<Float64Array> {
    if (!this.f0) {
      this.f0 = await this.flow(this.model.theta);
      this.lastLoss = this.stageLoss;
    }
    return this.f0;
  }

  private noOutputLeft(): TrainingStop {
    const message = `time ${this.t}: no output node has a path to an input any more (outputs cut: ${this.model.cutOutputs.join(', ')})`;
    this.events.push({ kind: 'stopped', edge: -1, time: this.t, message });
    return { reason: 'disconnected', message };
  }

  /**
   * Steps keep failing just before a boundary the flow reaches with unbounded speed (e.g.
   * `dk/dt ~ -1/k^2` under a finite EP nudge): an edge due within `1e3 hMin` at the current speed
   * is put on its boundary now. Returns whether one was.
   */
  private snapImminent(f0: Float64Array, hMin: number): boolean {
    const j = imminentBoundary(this.model, f0, 1e3 * hMin);
    if (j < 0) return false;
    this.boundaryEvents([j], f0, boundaryTolerance(this.model.theta));
    this.h = Math.max(this.T / 100, hMin);
    return true;
  }

  /** Locates the crossing inside the step, moves there and applies the boundary rule. */
  private async applyEvent(f0: Float64Array, hh: number, st: DormandPrinceStep): Promise<void> {
    const { model } = this;
    const located = await locateEvent(model, this.flow, f0, hh, st, this.options.rtol ?? 1e-9, this.options.atol ?? 1e-12);
    const before = model.theta.slice();
    this.t += located.tau;
    model.theta.set(located.step.y);
    const hit: number[] = [];
    for (let j = 0; j < model.theta.length; j++) {
      if (model.moves(j) && before[j]! > model.level[j]! && model.theta[j]! - model.level[j]! <= located.tolerance) hit.push(j);
    }
    this.boundaryEvents(hit, located.step.fNew, located.tolerance);
  }

  /**
   * Puts the run exactly on the crossing of the first of `edges` (`moveOntoCrossing`, velocity `v`
   * at the current point), applies the boundary rule to all of them, then any restriction.
   */
  private boundaryEvents(edges: readonly number[], v: Float64Array, tolerance: number): void {
    const { model } = this;
    this.t += moveOntoCrossing(model, v, edges, tolerance, Math.min(this.target, this.T) - this.t);
    for (const j of edges) this.events.push(model.hitBoundary(j, { time: this.t }));
    this.events.push(...model.restrictAfterBoundary({ time: this.t }));
    this.f0 = null;
  }

  /** Takes an accepted step, puts edges that arrived at their boundary on it, records on schedule. */
  private async accept(st: DormandPrinceStep, hh: number): Promise<void> {
    const { model } = this;
    const target = this.target;
    model.theta.set(st.y);
    this.t = hh === target - this.t ? target : this.t + hh;
    this.f0 = st.fNew;
    this.lastLoss = this.stageLoss; // FSAL: the last stage was evaluated at the accepted point
    this.h = hh * Math.min(5, Math.max(0.2, st.error > 0 ? 0.9 * st.error ** -0.2 : 5));
    // an edge closing in on its boundary within round-off (steps past it were rejected)
    const tolerance = boundaryTolerance(model.theta);
    const arrived = arrivedAtBoundary(model, st.fNew, tolerance);
    if (arrived.length > 0) this.boundaryEvents(arrived, st.fNew, tolerance);
    this.options.onProgress?.({ fraction: this.T > 0 ? this.t / this.T : 1, time: this.t, loss: this.lastLoss });
    if (this.t >= target) {
      this.f0 = await this.recordAt();
      this.ri++;
    }
  }

  /**
   * The result after a stop; records the stop point unless it is recorded already (on the part still
   * connected to an input when the whole circuit cannot be solved there; `stopPointEvaluation`).
   */
  async result(stop: TrainingStop): Promise<TrainingResult> {
    const { model, recorder, t } = this;
    let own = true;
    if (!recorder.isAt(t, model.theta)) {
      const point = await stopPointEvaluation(model, this.all, `time ${t}`);
      own = point?.on === 'own';
      if (point) recorder.record(t, point.ev.metrics!, model.kinds, model.theta, model.conductances(model.theta, false));
    }
    return trainingResult(model, recorder, this.events, stop, { time: t }, own);
  }
}
