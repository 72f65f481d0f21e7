/**
 * The kite (paper 1, section 6; Figure 2 lost). Node 0 = source s (1 V), node 1 = ground g (0 V),
 * nodes 2 = a and 3 = b the side corners. Readings of the figure:
 * - `strut` (@ohmlab/graph's `kite()`, the reading consistent with every sentence of section 6; see
 *   README): output o = node 4 in the middle of the cross-strut a - o - b; edges s-a (k1), a-g (k2),
 *   s-b (k3), b-g (k4), a-o (k5), o-b (k6). Ratio condition `k1/k2 = k3/k4` gives `x_a = x_b = x_o`.
 * - `bridge` (Wheatstone): edges s-a, a-g, s-b, b-g, a-b, output a;
 * - `corners`: the bridge with two outputs a and b.
 * The strut is parametrised on the paper's Figure 3 slice `k(s, r) = base + s e1 + r (e5 - e6)`.
 * Two base points are in use: all ones (t* = 1/2; the graph package's default) and
 * `(1, 2, 1, 2, 1, 1)` (t* = 1/3; packages/reproduce's reading of the lost base values). Both satisfy
 * the ratio condition and `k5 = k6`, i.e. the paper's "non-coercive set" at s = r = 0.
 */
import { kite, mulberry32, type Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { analyzeCircuit, type CircuitAnalysis } from '../analyze-circuit.js';
import { AnalysisError } from '../errors.js';
import { degeneracySearch, type DegeneracyResult } from './degeneracy.js';
import { quantitiesAt } from './objective.js';

export type KiteReading = 'strut' | 'bridge' | 'corners';

/** Base point with all conductances 1 (t* = 1/2). */
export const KITE_UNIT_BASE: readonly number[] = [1, 1, 1, 1, 1, 1];
/** packages/reproduce's base point of the Figure 3 slice (t* = 1/3). */
export const KITE_REPRODUCE_BASE: readonly number[] = [1, 2, 1, 2, 1, 1];

/** Checks a 6-entry strut base point (finite, > 0). */
export function checkKiteBase(base: ArrayLike<number>): Float64Array {
  if (base.length !== 6) throw new AnalysisError('base', `must have 6 conductances (k1..k6 of the strut kite), got ${base.length}`);
  const k = Float64Array.from(base);
  k.forEach((x, j) => {
    if (!(x > 0) || !Number.isFinite(x)) throw new AnalysisError('base', `k${j + 1} must be finite and > 0, got ${x}`);
  });
  return k;
}

/**
 * Free output of the strut kite in closed form (KCL at a, b, o eliminated by hand):
 * `a = (k1 + k5 o) / Sa`, `b = (k3 + k6 o) / Sb` with `Sa = k1 + k2 + k5`, `Sb = k3 + k4 + k6`, and
 * `o = (k5 k1 / Sa + k6 k3 / Sb) / (k5 + k6 - k5^2 / Sa - k6^2 / Sb)` (source 1 V, ground 0 V).
 */
export function kiteFreeOutput(k: ArrayLike<number>): number {
  const [k1, k2, k3, k4, k5, k6] = checkKiteBase(k);
  const sa = k1! + k2! + k5!;
  const sb = k3! + k4! + k6!;
  return ((k5! * k1!) / sa + (k6! * k3!) / sb) / (k5! + k6! - (k5! * k5!) / sa - (k6! * k6!) / sb);
}

/** Conductances of the slice point `base + s e1 + r (e5 - e6)` (paper 1 sec. 6, Figure 3). */
export function kiteSlicePoint(base: ArrayLike<number>, s: number, r: number): Float64Array {
  const k = checkKiteBase(base);
  k[0]! += s;
  k[4]! += r;
  k[5]! -= r;
  return k;
}

/**
 * The strut kite at the slice point `(s, r)` of `base` (default all ones), with target `target`
 * (default t* = the free output at the base point, i.e. `s = r = 0`).
 */
export function kiteCircuit(options: { base?: ArrayLike<number>; s?: number; r?: number; target?: number } = {}): Circuit {
  const base = options.base ?? KITE_UNIT_BASE;
  const k = kiteSlicePoint(base, options.s ?? 0, options.r ?? 0);
  if (k.some((x) => !(x > 0))) throw new AnalysisError('s, r', `leave the admissible set: conductances ${Array.from(k).join(', ')}`);
  const target = options.target ?? kiteFreeOutput(base);
  if (!Number.isFinite(target)) throw new AnalysisError('target', `must be finite, got ${target}`);
  return kite({ conductances: Array.from(k), inputValues: [1, 0], targets: [target] });
}

/** The circuit of a reading, with all conductances 1 (strut: `base` if given) and the given targets. */
export function kiteReading(reading: KiteReading, targets?: ArrayLike<number>, base?: ArrayLike<number>): Circuit {
  if (reading === 'strut') {
    const c = kiteCircuit(base ? { base } : {});
    return targets ? { ...c, targets: Float64Array.from(targets) } : c;
  }
  if (reading !== 'bridge' && reading !== 'corners') throw new AnalysisError('reading', `must be "strut", "bridge" or "corners", got ${JSON.stringify(reading)}`);
  const outputs = reading === 'bridge' ? Uint32Array.of(2) : Uint32Array.of(2, 3);
  return {
    nodeCount: 4,
    edgeFrom: Uint32Array.of(0, 2, 0, 3, 2),
    edgeTo: Uint32Array.of(2, 1, 3, 1, 3),
    conductances: new Float64Array(5).fill(1),
    inputNodes: Uint32Array.of(0, 1),
    inputValues: Float64Array.of(1, 0),
    outputNodes: outputs,
    targets: targets ? Float64Array.from(targets) : new Float64Array(outputs.length).fill(0.3),
  };
}

export interface KiteFinding {
  readonly reading: KiteReading;
  /** The analysis at the base point (strut: `base`; bridge, corners: all ones). */
  readonly balanced: CircuitAnalysis;
  /** min normalised c_EP over `randomSamples` random conductance vectors, log-uniform in [0.1, 10]. */
  readonly randomMinNormalisedEp: number;
  readonly search: DegeneracyResult;
}

/** Options of {@link kiteInvestigation}. */
export interface KiteInvestigationOptions {
  /** Strut base point (default all ones). */
  readonly base?: ArrayLike<number>;
  readonly readings?: readonly KiteReading[];
  readonly randomSamples?: number;
  readonly restarts?: number;
  readonly evaluations?: number;
  readonly seed?: number;
}

/** Runs the investigation for every reading (module doc). */
export async function kiteInvestigation(backend: SolverBackend, options: KiteInvestigationOptions = {}): Promise<KiteFinding[]> {
  const out: KiteFinding[] = [];
  for (const reading of options.readings ?? (['strut', 'bridge', 'corners'] as const)) {
    const c = reading === 'strut' ? kiteCircuit(options.base ? { base: options.base } : {}) : kiteReading(reading);
    const balanced = await analyzeCircuit(backend, c);
    const random = mulberry32(options.seed ?? 1);
    let minRandom = Infinity;
    for (let i = 0; i < (options.randomSamples ?? 200); i++) {
      const k = Float64Array.from(c.conductances, () => Math.exp(Math.log(0.1) + Math.log(100) * random()));
      minRandom = Math.min(minRandom, (await quantitiesAt(backend, c, k)).normalisedEp);
    }
    const search = await degeneracySearch(backend, c, { restarts: options.restarts ?? 5, evaluations: options.evaluations ?? 400, seed: options.seed ?? 1 });
    out.push({ reading, balanced, randomMinNormalisedEp: minRandom, search });
  }
  return out;
}
