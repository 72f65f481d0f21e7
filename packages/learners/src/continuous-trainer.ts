/**
 * Continuous-time trainer: integrates the rule's flow `dtheta/dt = v(theta)` (the zero-nudge flow
 * `-f'(theta) mean_s dv^0 dvh`, or the finite/symmetric-nudge flow of paper 2 eq. 4.11) with an
 * adaptive Dormand-Prince 5(4) method. Boundary crossings (e.g. `k_j = 0`) are located in time by
 * the Illinois method on actual integrator steps, then the boundary rule is applied and the
 * integration restarts from the event.
 */
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { dormandPrinceStep, type DormandPrinceStep } from './dormand-prince.js';
import { LearnerConfigError } from './errors.js';
import { Recorder, StagnationMonitor } from './recorder.js';
import { sampleBatch } from './samples.js';
import { finalLoss, stopFromError } from './stop.js';
import type { StopReason, TrainerOptions, TrainingEvent, TrainingResult } from './trainer-types.js';
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
  const nRecord = options.record ?? 101;
  if (!Number.isInteger(nRecord) || nRecord < 2) throw new LearnerConfigError('record', `must be an integer >= 2, got ${nRecord}`);
  const rtol = options.rtol ?? 1e-9;
  const atol = options.atol ?? 1e-12;
  const maxSteps = options.maxSteps ?? 100_000;
  const alpha = options.alpha ?? 1;
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new LearnerConfigError('alpha', `must be finite and > 0, got ${alpha}`);
  const model = new TrainingModel(backend, circuit, options);
  const all = sampleBatch(circuit);
  const recorder = new Recorder('time', options.recordConductances ?? true);
  const stagnation = new StagnationMonitor(options.stagnation);
  const tolerance = options.lossTolerance ?? 0;
  const events: TrainingEvent[] = [];
  let lastLoss = Number.NaN;
  let t = 0;
  const f = async (y: Float64Array): Promise<Float64Array> => {
    const ev = await model.evaluate(y, all, `time ${t}`);
    lastLoss = ev.baseLoss;
    return scaled(ev.velocity);
  };
  const scaled = (v: Float64Array): Float64Array => {
    if (alpha !== 1) for (let j = 0; j < v.length; j++) v[j] = alpha * v[j]!;
    return v;
  };
  const recordAt = async (): Promise<Float64Array> => {
    const ev = await model.evaluate(model.theta, all, `time ${t}`, all);
    lastLoss = ev.baseLoss;
    recorder.record(t, ev.metrics!, model.kinds, model.theta, model.conductances());
    return scaled(ev.velocity);
  };
  let stop: { reason: StopReason; message: string } = { reason: 'budget', message: `time budget ${T} reached` };
  let attempts = 0;
  try {
    let f0: Float64Array | null = await recordAt();
    let ri = 1;
    let h = T / 100;
    while (t < T) {
      if (lastLoss <= tolerance) {
        stop = { reason: 'loss-tolerance', message: `base loss ${lastLoss} <= tolerance ${tolerance} at time ${t}` };
        break;
      }
      const target = (ri * T) / (nRecord - 1);
      const hh = Math.min(h, target - t);
      if (++attempts > maxSteps || !(hh > 1e-14 * Math.max(1, t))) {
        stop = { reason: 'step-cap', message: `integrator gave up at time ${t}: ${attempts > maxSteps ? `more than ${maxSteps} steps` : `step size ${hh} too small`}` };
        break;
      }
      f0 ??= await f(model.theta);
      const st = await dormandPrinceStep(f, model.theta, f0, hh, rtol, atol);
      if (!(st.error <= 1)) {
        h = hh * Math.max(0.1, Number.isFinite(st.error) ? 0.9 * st.error ** -0.2 : 0.1);
        continue;
      }
      const crossing = model.crossings(model.theta, st.y);
      if (crossing.length > 0) {
        const located = await locateEvent(model, f, f0, hh, rtol, atol);
        t += located.tau;
        model.theta.set(located.step.y);
        for (let j = 0; j < model.theta.length; j++) {
          if (!model.removed[j] && model.theta[j]! - model.level[j]! <= located.tolerance) events.push(model.hitBoundary(j, { time: t }));
        }
        f0 = null;
        continue;
      }
      model.theta.set(st.y);
      t = hh === target - t ? target : t + hh;
      f0 = st.fNew;
      h = hh * Math.min(5, Math.max(0.2, st.error > 0 ? 0.9 * st.error ** -0.2 : 5));
      options.onProgress?.({ fraction: T > 0 ? t / T : 1, time: t, loss: lastLoss });
      if (t >= target) {
        f0 = await recordAt();
        ri++;
      }
      if (stagnation.push(lastLoss)) {
        stop = { reason: 'stagnation', message: `base loss ${lastLoss} stagnated at time ${t}` };
        break;
      }
    }
  } catch (err) {
    stop = stopFromError(err, `time ${t}`);
    events.push({ kind: 'stopped', edge: -1, time: t, message: stop.message });
  }
  if (recorder.last !== t && stop.reason !== 'disconnected' && stop.reason !== 'boundary') await recordAt();
  return {
    history: recorder.history(),
    final: { conductances: model.conductances(model.theta, false), parameters: model.theta.slice(), loss: await finalLoss(model), time: t },
    events,
    stop,
    removedEdges: model.removedEdges.slice(),
  };
}

/** Gap to the nearest boundary over edges that are not yet on it: `min_j (theta_j - level_j)`. */
function boundaryGap(model: TrainingModel, start: Float64Array, y: Float64Array): number {
  let g = Number.POSITIVE_INFINITY;
  for (let j = 0; j < y.length; j++) {
    if (!model.removed[j] && start[j]! > model.level[j]!) g = Math.min(g, y[j]! - model.level[j]!);
  }
  return g;
}

/**
 * Finds the first time `tau` in `(0, h]` where an edge reaches its boundary, by the Illinois
 * (modified regula falsi) method on `G(tau) = min_j (theta_j(t + tau) - level_j)`, each evaluation
 * an actual Dormand-Prince step of size `tau` from the current point.
 */
async function locateEvent(
  model: TrainingModel,
  f: (y: Float64Array) => Promise<Float64Array>,
  f0: Float64Array,
  h: number,
  rtol: number,
  atol: number,
): Promise<{ tau: number; step: DormandPrinceStep; tolerance: number }> {
  const start = model.theta.slice();
  let scale = 0;
  for (const v of start) scale = Math.max(scale, Math.abs(v));
  const tolerance = 1e-10 * Math.max(scale, 1e-300);
  let a = 0;
  let ga = boundaryGap(model, start, start);
  let b = h;
  let stepB = await dormandPrinceStep(f, start, f0, h, rtol, atol);
  let gb = boundaryGap(model, start, stepB.y);
  let side = 0;
  for (let it = 0; it < 60; it++) {
    const tau = (a * gb - b * ga) / (gb - ga);
    const st = await dormandPrinceStep(f, start, f0, tau, rtol, atol);
    const g = boundaryGap(model, start, st.y);
    if (Math.abs(g) <= tolerance || b - a <= 1e-15 * h) return { tau, step: st, tolerance };
    if (g > 0) {
      a = tau;
      ga = g;
      if (side === 1) gb /= 2;
      side = 1;
    } else {
      b = tau;
      gb = g;
      stepB = st;
      if (side === -1) ga /= 2;
      side = -1;
    }
  }
  return { tau: b, step: stepB, tolerance: Math.max(tolerance, Math.abs(gb)) };
}
