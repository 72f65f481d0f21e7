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
import { linearise, lineariseBatch } from '../linearisation.js';
import { checkQuantity, quantitiesOf, type Quantity } from './objective.js';

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
  /** Grid points linearised per batched factorization (default {@link LANDSCAPE_BATCH}). */
  readonly batchSize?: number;
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

/**
 * Grid points linearised per batch: bounds the memory of one batch (factorizations and states of
 * every point are held at once); a 64 x 64 grid is one batch.
 */
export const LANDSCAPE_BATCH = 4096;

/** The slice's grid: `k(a, b) = k0 + axis[a] u + axis[b] v`, points numbered `p = a n + b`. */
interface SliceGrid {
  readonly k0: ArrayLike<number>;
  readonly u: Float64Array;
  readonly v: Float64Array;
  readonly axis: number[];
}

/** Writes the conductances of grid point `p` into `out` at `at`; true when all are > 0 (admissible). */
function pointInto(grid: SliceGrid, p: number, out: Float64Array, at: number): boolean {
  const n = grid.axis.length;
  const a = grid.axis[Math.floor(p / n)]!;
  const b = grid.axis[p % n]!;
  let admissible = true;
  for (let j = 0; j < grid.u.length; j++) {
    const x = grid.k0[j]! + a * grid.u[j]! + b * grid.v[j]!;
    out[at + j] = x;
    if (!(x > 0)) admissible = false;
  }
  return admissible;
}

/** `quantity` and the first output at every admissible grid point (null elsewhere), in batches. */
async function gridValues(backend: SolverBackend, circuit: Circuit, quantity: Quantity, grid: SliceGrid, batchSize: number): Promise<Pick<Landscape, 'values' | 'output' | 'minimum'>> {
  const { axis } = grid;
  const n = axis.length;
  const m = grid.u.length;
  const scratch = new Float64Array(m);
  const points = Array.from({ length: n * n }, (_, p) => p).filter((p) => pointInto(grid, p, scratch, 0));
  const values: (number | null)[][] = axis.map(() => axis.map(() => null));
  const output: (number | null)[][] = axis.map(() => axis.map(() => null));
  let minimum: Landscape['minimum'] = null;
  for (let first = 0; first < points.length; first += batchSize) {
    const chunk = points.slice(first, first + batchSize);
    const k = new Float64Array(chunk.length * m);
    chunk.forEach((p, i) => pointInto(grid, p, k, i * m));
    const lins = await lineariseBatch(backend, circuit, k);
    chunk.forEach((p, i) => {
      const [a, b] = [Math.floor(p / n), p % n];
      const q = quantitiesOf(lins[i]!);
      values[a]![b] = q[quantity];
      output[a]![b] = q.output;
      if (!minimum || q[quantity] < minimum.value) minimum = { value: q[quantity], e1: axis[a]!, e2: axis[b]! };
    });
  }
  return { values, output, minimum };
}

/**
 * Computes the landscape (module doc). The admissible grid points are linearised together
 * (`lineariseBatch`: one batched factorization per Dirichlet set for up to {@link LANDSCAPE_BATCH}
 * points, one GPU job each on WebGPU), with the same numbers as one `quantitiesAt` per point.
 */
export async function landscape(backend: SolverBackend, circuit: Circuit, options: LandscapeOptions = {}): Promise<Landscape> {
  const quantity = options.quantity ?? 'ep';
  checkQuantity(quantity);
  const k0 = options.centre ?? circuit.conductances;
  const m = circuit.edgeFrom.length;
  if (k0.length !== m || !k0.every(Number.isFinite)) throw new AnalysisError('centre', `must hold ${m} finite conductances (one per edge), got ${k0.length} entries`);
  const n = options.points ?? 21;
  if (!Number.isInteger(n) || n < 2 || n > 401) throw new AnalysisError('points', `must be an integer in [2, 401], got ${n}`);
  const [lo, hi] = options.range ?? [-0.5, 0.5];
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new AnalysisError('range', `needs finite lo < hi, got [${lo}, ${hi}]`);
  const normalise = options.normalise ?? true;
  const batchSize = options.batchSize ?? LANDSCAPE_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new AnalysisError('batchSize', `must be a positive integer, got ${batchSize}`);
  let u = options.u;
  if (!u) {
    const M = coercivityMatrix(await linearise(backend, circuit, { conductances: k0 }));
    u = Float64Array.from({ length: M.rows }, (_, j) => M.data[j * M.cols]!);
  }
  u = checkDirection('u', u, m, normalise);
  const v = checkDirection('v', options.v ?? orthogonalDirection(u), m, normalise);
  const axis = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const field = await gridValues(backend, circuit, quantity, { k0, u, v, axis }, batchSize);
  return { quantity, e1: axis, e2: axis, u: Array.from(u), v: Array.from(v), ...field, targetLevel: circuit.targets[0]! };
}
