/**
 * Degeneracy search: minimise a (normalised) coercivity constant over conductances in a box
 * `[low, high]^m`, by random restarts of a Nelder-Mead search in log-conductances (points are
 * clamped into the box). Reports the least coercive configuration found.
 */
import type { Circuit } from '@ohmlab/graph';
import { mulberry32 } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { AnalysisError } from '../errors.js';
import { checkQuantity, quantitiesAt, type Quantity } from './objective.js';

export interface DegeneracyOptions {
  /** Default `normalisedEp`. */
  readonly quantity?: Quantity;
  /** Conductance box (default [0.1, 10]). */
  readonly bounds?: readonly [number, number];
  readonly restarts?: number;
  /** Objective evaluations per restart (default 300). */
  readonly evaluations?: number;
  readonly seed?: number;
}

export interface DegeneracyResult {
  readonly quantity: Quantity;
  readonly best: number;
  readonly conductances: number[];
  /** Best value of each restart. */
  readonly restarts: number[];
  readonly evaluations: number;
}

/** Runs the search (module doc). */
export async function degeneracySearch(backend: SolverBackend, circuit: Circuit, options: DegeneracyOptions = {}): Promise<DegeneracyResult> {
  const quantity = options.quantity ?? 'normalisedEp';
  checkQuantity(quantity);
  const [lo, hi] = options.bounds ?? [0.1, 10];
  if (!(lo > 0 && hi > lo && Number.isFinite(hi))) throw new AnalysisError('bounds', `needs 0 < low < high, got [${lo}, ${hi}]`);
  const restarts = options.restarts ?? 5;
  const budget = options.evaluations ?? 300;
  if (!Number.isInteger(restarts) || restarts < 1) throw new AnalysisError('restarts', `must be a positive integer, got ${restarts}`);
  if (!Number.isInteger(budget) || budget < 1) throw new AnalysisError('evaluations', `must be a positive integer, got ${budget}`);
  const random = mulberry32(options.seed ?? 1);
  const m = circuit.edgeFrom.length;
  const [a, b] = [Math.log(lo), Math.log(hi)];
  const clamp = (z: Float64Array) => z.map((x) => Math.min(b, Math.max(a, x)));
  let evals = 0;
  const f = async (z: Float64Array): Promise<number> => {
    evals++;
    const q = await quantitiesAt(backend, circuit, clamp(z).map(Math.exp));
    return q[quantity];
  };
  let best = Infinity;
  let bestZ = new Float64Array(m);
  const perRestart: number[] = [];
  for (let r = 0; r < restarts; r++) {
    const start = Float64Array.from({ length: m }, () => a + (b - a) * random());
    const { value, point } = await nelderMead(f, start, 0.25 * (b - a), budget);
    perRestart.push(value);
    if (value < best) {
      best = value;
      bestZ = clamp(point);
    }
  }
  return { quantity, best, conductances: Array.from(bestZ, Math.exp), restarts: perRestart, evaluations: evals };
}

/** Plain Nelder-Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2), `budget` evaluations. */
export async function nelderMead(f: (z: Float64Array) => Promise<number>, x0: Float64Array, step: number, budget: number): Promise<{ value: number; point: Float64Array }> {
  const n = x0.length;
  const pts: { x: Float64Array; v: number }[] = [{ x: x0, v: await f(x0) }];
  for (let i = 0; i < n; i++) {
    const x = Float64Array.from(x0);
    x[i]! += step;
    pts.push({ x, v: await f(x) });
  }
  let used = n + 1;
  const comb = (p: Float64Array, q: Float64Array, t: number) => p.map((x, i) => x + t * (q[i]! - x));
  while (used < budget) {
    pts.sort((p, q) => p.v - q.v);
    const worst = pts[n]!;
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let d = 0; d < n; d++) c[d]! += pts[i]!.x[d]! / n;
    const xr = comb(c, worst.x, -1);
    const vr = await f(xr);
    used++;
    if (vr < pts[0]!.v) {
      const xe = comb(c, worst.x, -2);
      const ve = await f(xe);
      used++;
      pts[n] = ve < vr ? { x: xe, v: ve } : { x: xr, v: vr };
    } else if (vr < pts[n - 1]!.v) {
      pts[n] = { x: xr, v: vr };
    } else {
      const xc = comb(c, worst.x, 0.5);
      const vc = await f(xc);
      used++;
      if (vc < worst.v) pts[n] = { x: xc, v: vc };
      else {
        for (let i = 1; i <= n; i++) {
          pts[i]!.x = comb(pts[0]!.x, pts[i]!.x, 0.5);
          pts[i]!.v = await f(pts[i]!.x);
          used++;
        }
      }
    }
    if (Math.abs(pts[n]!.v - pts[0]!.v) <= 1e-14 * Math.abs(pts[0]!.v) + 1e-300 && used > 2 * n) break;
  }
  pts.sort((p, q) => p.v - q.v);
  return { value: pts[0]!.v, point: pts[0]!.x };
}
