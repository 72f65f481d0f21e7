/**
 * Boundary events of the continuous-time trainer (README "Trainers"): Dormand-Prince steps whose
 * stages may lie beyond a boundary, location of a crossing in time by the Illinois method, and
 * the edges that reach their boundary within round-off.
 */
import { dormandPrinceStep, type DormandPrinceStep } from './dormand-prince.js';
import { DisconnectedCircuitError, LearnerNumericalError } from './errors.js';
import type { TrainingModel } from './training-model.js';

/** The flow `y -> dy/dt` the integrator evaluates. */
export type Flow = (y: Float64Array) => Promise<Float64Array>;

/** `1e-10` times the largest parameter: how close to its level an edge counts as on it. */
export function boundaryTolerance(theta: Float64Array): number {
  let scale = 0;
  for (const v of theta) scale = Math.max(scale, Math.abs(v));
  return 1e-10 * Math.max(scale, 1e-300);
}

/** Edges within `tolerance` above their level and moving down (velocity `v`): they have arrived. */
export function arrivedAtBoundary(model: TrainingModel, v: Float64Array, tolerance: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < v.length; j++) {
    const gap = model.theta[j]! - model.level[j]!;
    if (model.moves(j) && gap > 0 && gap <= tolerance && v[j]! < 0) out.push(j);
  }
  return out;
}

/**
 * A Dormand-Prince step whose stages may lie beyond a boundary: when a stage cannot be evaluated
 * (the circuit there is disconnected or gives non-finite values) it returns null, which the caller
 * treats as a rejected step. Errors at accepted points are raised by the caller's own evaluations.
 */
export async function trialStep(
  f: Flow,
  y: Float64Array,
  f0: Float64Array,
  h: number,
  rtol: number,
  atol: number,
): Promise<DormandPrinceStep | null> {
  try {
    return await dormandPrinceStep(f, y, f0, h, rtol, atol);
  } catch (err) {
    if (err instanceof DisconnectedCircuitError || err instanceof LearnerNumericalError) return null;
    throw err;
  }
}

/**
 * The edge (not yet on its boundary) that the current velocity `v` carries to its level soonest,
 * if that takes at most `horizon` time at the current speed; -1 if none.
 */
export function imminentBoundary(model: TrainingModel, v: Float64Array, horizon: number): number {
  let best = -1;
  let soonest = horizon;
  for (let j = 0; j < v.length; j++) {
    const gap = model.theta[j]! - model.level[j]!;
    if (!model.moves(j) || !(gap > 0) || !(v[j]! < 0)) continue;
    const time = gap / -v[j]!;
    if (time <= soonest) {
      soonest = time;
      best = j;
    }
  }
  return best;
}

/**
 * Moves the model from a point within `tolerance` of a crossing onto it: of the `edges` (within
 * `tolerance` of their level), the one that velocity `v` carries to its level first sets `tau =
 * gap_j / -v_j` (one Newton step on the gap: exact for a straight approach, error O(gap^2)
 * otherwise; negative when the point lies past the crossing), and every parameter moves by
 * `tau v`. `tau` is capped so that no parameter moves by more than `tolerance` (the snap itself
 * moves an edge that far) and so that the time does not pass `maxForward`. Returns `tau`.
 */
export function moveOntoCrossing(model: TrainingModel, v: Float64Array, edges: readonly number[], tolerance: number, maxForward: number): number {
  let tau = Number.POSITIVE_INFINITY;
  for (const j of edges) {
    if (v[j]! < 0) tau = Math.min(tau, (model.theta[j]! - model.level[j]!) / -v[j]!);
  }
  if (!Number.isFinite(tau)) return 0;
  let speed = 0;
  for (let j = 0; j < v.length; j++) if (model.moves(j)) speed = Math.max(speed, Math.abs(v[j]!));
  const cap = tolerance / speed;
  tau = Math.max(-cap, Math.min(tau, cap, maxForward));
  for (let j = 0; j < v.length; j++) if (model.moves(j)) model.theta[j] = model.theta[j]! + tau * v[j]!;
  return tau;
}

/** Gap to the nearest boundary over edges that are not yet on it: `min_j (theta_j - level_j)`. */
function boundaryGap(model: TrainingModel, start: Float64Array, y: Float64Array): number {
  let g = Number.POSITIVE_INFINITY;
  for (let j = 0; j < y.length; j++) {
    if (model.moves(j) && start[j]! > model.level[j]!) g = Math.min(g, y[j]! - model.level[j]!);
  }
  return g;
}

/**
 * Finds the first time `tau` in `(0, h]` where an edge reaches its boundary, by the Illinois
 * (modified regula falsi) method on `G(tau) = min_j (theta_j(t + tau) - level_j)`, each evaluation
 * an actual Dormand-Prince step of size `tau` from the current point.
 */
export async function locateEvent(
  model: TrainingModel,
  f: Flow,
  f0: Float64Array,
  h: number,
  crossingStep: DormandPrinceStep,
  rtol: number,
  atol: number,
): Promise<{ tau: number; step: DormandPrinceStep; tolerance: number }> {
  const start = model.theta.slice();
  const tolerance = boundaryTolerance(start);
  let a = 0;
  let ga = boundaryGap(model, start, start);
  let b = h;
  let stepB = crossingStep;
  let tauB = h;
  let gb = boundaryGap(model, start, stepB.y);
  let side = 0;
  for (let it = 0; it < 80; it++) {
    const tau = (a * gb - b * ga) / (gb - ga);
    const st = await trialStep(f, start, f0, tau, rtol, atol);
    if (!st) {
      // a stage beyond the boundary could not be solved: the event lies before tau
      b = tau;
      side = 0;
      continue;
    }
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
      tauB = tau;
      if (side === -1) ga /= 2;
      side = -1;
    }
  }
  return { tau: tauB, step: stepB, tolerance: Math.max(tolerance, -boundaryGap(model, start, stepB.y)) };
}
