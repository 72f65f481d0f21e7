/**
 * Landscape experiment (paper 1, Figure 3): a quantity over the 2-D slice `k* + e1 u + e2 v`, with
 * the first output on the same grid so its level sets (the traces of the solution manifolds
 * `y = t`) can be drawn; `targetLevel` is the level of the circuit's own target. Grid points with a
 * non-positive conductance are `null` (outside the admissible set), never NaN.
 */
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { coercivityMatrix } from '../coercivity.js';
import { AnalysisError } from '../errors.js';
import { linearise } from '../linearisation.js';
import { checkQuantity, quantitiesAt, type Quantity } from './objective.js';

export interface LandscapeOptions {
  readonly quantity?: Quantity;
  /** Centre `k*` (default the circuit's conductances). */
  readonly centre?: Float64Array;
  /** Directions (default: u = normal of the first output's level set, v = a unit vector orthogonal to it). */
  readonly u?: Float64Array;
  readonly v?: Float64Array;
  /** Scale u and v to unit length (default true). With false, `e1`, `e2` are in the units of the given directions. */
  readonly normalise?: boolean;
  /** Range of e1 and e2 (default [-0.5, 0.5]) and points per axis (default 21, at most 401). */
  readonly range?: readonly [number, number];
  readonly points?: number;
}

export interface Landscape {
  readonly quantity: Quantity;
  readonly e1: number[];
  readonly e2: number[];
  readonly u: number[];
  readonly v: number[];
  /** `values[a][b]` at `(e1[a], e2[b])`. */
  readonly values: (number | null)[][];
  /** First output `y^f_0` on the same grid (draw its level sets). */
  readonly output: (number | null)[][];
  /** The circuit's first target: the level set `output = targetLevel` is the solution manifold's trace. */
  readonly targetLevel: number;
  /** Smallest `values` entry on the grid and where. */
  readonly minimum: { readonly value: number; readonly e1: number; readonly e2: number } | null;
}

function checkDirection(name: string, x: Float64Array, m: number, normalise: boolean): Float64Array {
  if (x.length !== m) throw new AnalysisError(name, `has ${x.length} entries, the circuit has ${m} edges`);
  let s = 0;
  for (const a of x) s += a * a;
  if (!(s > 0) || !Number.isFinite(s)) throw new AnalysisError(name, 'must be a finite nonzero direction');
  return normalise ? x.map((a) => a / Math.sqrt(s)) : Float64Array.from(x);
}

/** A unit vector orthogonal to `u` (Gram-Schmidt on the coordinate axis where `|u_j|` is smallest). */
export function orthogonalDirection(u: Float64Array): Float64Array {
  let j0 = 0;
  for (let j = 1; j < u.length; j++) if (Math.abs(u[j]!) < Math.abs(u[j0]!)) j0 = j;
  let uu = 0;
  for (const a of u) uu += a * a;
  const v = u.map((a, j) => (j === j0 ? 1 : 0) - (uu > 0 ? (u[j0]! * a) / uu : 0));
  let s = 0;
  for (const a of v) s += a * a;
  if (!(s > 0)) throw new AnalysisError('v', 'no direction orthogonal to u exists (a single edge); pass v');
  return v.map((a) => a / Math.sqrt(s));
}

/** Computes the landscape (module doc). Each grid point costs three batches of solves. */
export async function landscape(backend: SolverBackend, circuit: Circuit, options: LandscapeOptions = {}): Promise<Landscape> {
  const quantity = options.quantity ?? 'ep';
  checkQuantity(quantity);
  const k0 = options.centre ?? circuit.conductances;
  const m = circuit.edgeFrom.length;
  const n = options.points ?? 21;
  if (!Number.isInteger(n) || n < 2 || n > 401) throw new AnalysisError('points', `must be an integer in [2, 401], got ${n}`);
  const [lo, hi] = options.range ?? [-0.5, 0.5];
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new AnalysisError('range', `needs finite lo < hi, got [${lo}, ${hi}]`);
  const normalise = options.normalise ?? true;
  let u = options.u;
  if (!u) {
    const M = coercivityMatrix(await linearise(backend, circuit, { conductances: k0 }));
    u = Float64Array.from({ length: M.rows }, (_, j) => M.data[j * M.cols]!);
  }
  u = checkDirection('u', u, m, normalise);
  const v = checkDirection('v', options.v ?? orthogonalDirection(u), m, normalise);
  const axis = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const values: (number | null)[][] = [];
  const output: (number | null)[][] = [];
  let minimum: Landscape['minimum'] = null;
  for (const a of axis) {
    const row: (number | null)[] = [];
    const orow: (number | null)[] = [];
    for (const b of axis) {
      const k = k0.map((x, j) => x + a * u[j]! + b * v[j]!);
      if (k.some((x) => !(x > 0))) {
        row.push(null);
        orow.push(null);
        continue;
      }
      const q = await quantitiesAt(backend, circuit, k);
      row.push(q[quantity]);
      orow.push(q.output);
      if (!minimum || q[quantity] < minimum.value) minimum = { value: q[quantity], e1: a, e2: b };
    }
    values.push(row);
    output.push(orow);
  }
  return { quantity, e1: axis, e2: axis, u: Array.from(u), v: Array.from(v), values, output, targetLevel: circuit.targets[0]!, minimum };
}
