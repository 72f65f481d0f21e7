/**
 * Landscape experiment (paper 1, Figure 3): a quantity over the 2-D slice `k* + e1 u + e2 v`,
 * with the first output on the same grid so its level sets (the solution manifold's trace) can be
 * drawn. Grid points with a non-positive conductance are `null`.
 */
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { coercivityMatrix } from '../coercivity.js';
import { AnalysisError } from '../errors.js';
import { linearise } from '../linearisation.js';
import { solutionManifold } from '../solution-manifold.js';
import { checkQuantity, quantitiesAt, type Quantity } from './objective.js';

export interface LandscapeOptions {
  readonly quantity?: Quantity;
  /** Centre `k*` (default the circuit's conductances). */
  readonly centre?: Float64Array;
  /** Directions (default: u = normal of the first output's level set, v = a tangent vector). */
  readonly u?: Float64Array;
  readonly v?: Float64Array;
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
  readonly output: (number | null)[][];
}

function unit(x: Float64Array): Float64Array {
  let s = 0;
  for (const a of x) s += a * a;
  if (!(s > 0)) throw new AnalysisError('direction', 'is zero; pass a nonzero direction');
  return x.map((a) => a / Math.sqrt(s));
}

/** Computes the landscape (module doc). Each grid point costs three batches of solves. */
export async function landscape(backend: SolverBackend, circuit: Circuit, options: LandscapeOptions = {}): Promise<Landscape> {
  const quantity = options.quantity ?? 'ep';
  checkQuantity(quantity);
  const k0 = options.centre ?? circuit.conductances;
  const n = options.points ?? 21;
  if (!Number.isInteger(n) || n < 2 || n > 401) throw new AnalysisError('points', `must be an integer in [2, 401], got ${n}`);
  const [lo, hi] = options.range ?? [-0.5, 0.5];
  if (!(hi > lo)) throw new AnalysisError('range', `needs lo < hi, got [${lo}, ${hi}]`);
  let u = options.u;
  let v = options.v;
  if (!u || !v) {
    const lin = await linearise(backend, circuit, { conductances: k0 });
    const M = coercivityMatrix(lin);
    u ??= Float64Array.from({ length: M.rows }, (_, j) => M.data[j * M.cols]!);
    v ??= Float64Array.from({ length: M.rows }, (_, j) => solutionManifold({ rows: M.rows, cols: 1, data: u!.slice() }, 1).tangentBasis.data[j * (M.rows - 1)]!);
  }
  u = unit(u);
  v = unit(v);
  const axis = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const values: (number | null)[][] = [];
  const output: (number | null)[][] = [];
  for (const a of axis) {
    const row: (number | null)[] = [];
    const orow: (number | null)[] = [];
    for (const b of axis) {
      const k = k0.map((x, j) => x + a * u![j]! + b * v![j]!);
      if (k.some((x) => !(x > 0))) {
        row.push(null);
        orow.push(null);
        continue;
      }
      const q = await quantitiesAt(backend, circuit, k);
      row.push(q[quantity]);
      orow.push(q.output);
    }
    values.push(row);
    output.push(orow);
  }
  return { quantity, e1: axis, e2: axis, u: Array.from(u), v: Array.from(v), values, output };
}
