/**
 * Randomised check of the maximum-principle theorem (maximum-principle.ts) on random single-output
 * circuits: Erdos-Renyi graphs of 5..`maxNodes` nodes, 2..6 inputs each held at 0 V or 1 V,
 * conductances log-uniform over six decades, and in a fraction of the trials the inputs adjacent to
 * the output's component forced to one voltage (the isolated case). For every trial the prediction
 * "M = 0" is compared with the numbers; the least normalised `c_EP` met where M != 0 is reported
 * together with its free output.
 */
import { erdosRenyi, mulberry32 } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { AnalysisError } from '../errors.js';
import { outputBoundaries, outputIsolation } from '../maximum-principle.js';
import { quantitiesAt } from './objective.js';

export interface MaximumPrincipleSearchOptions {
  readonly trials?: number;
  readonly maxNodes?: number;
  readonly seed?: number;
  /** Fraction of trials with the output's boundary forced to one voltage (default 0.25). */
  readonly isolatedFraction?: number;
}

export interface MaximumPrincipleSearchResult {
  readonly trials: number;
  readonly predictedZero: number;
  /** Trials where prediction and numbers disagree (numerical zero: coupling rho <= NUMERICAL_ZERO = 1e-8). */
  readonly mismatches: number;
  /**
   * Each mismatch with its coupling and the distance of `y^f` from the nearest voltage on the
   * output's boundary (relative to their spread). A distance below ~1e-9 means the state cannot tell
   * the case from the isolated one in float64 (the theorem still holds: rho > 0 exactly).
   */
  readonly mismatchDetails: { readonly rho: number; readonly distance: number; readonly predictedZero: boolean }[];
  /** Largest coupling rho where M = 0 was predicted (round-off only). */
  readonly isolatedMax: number;
  /** Smallest coupling rho where M != 0 was predicted. */
  readonly leastCoupling: number;
  /** Least normalised c_EP where M != 0 was predicted, with its free output and input values. */
  readonly least: { readonly value: number; readonly output: number; readonly nodes: number; readonly seed: number } | null;
  /** Least normalised c_EP among trials whose free output is in [0.1, 0.9]. */
  readonly leastInterior: number;
  /** Least coupling rho among trials whose free output is at relative distance >= 0.1 from the boundary voltages. */
  readonly leastInteriorCoupling: number;
}

/**
 * A column coupling `rho` (maximum-principle.ts `columnCoupling`, scale-free, in [0, 1]) at or below
 * this counts as a numerical zero: with M = 0 exactly, the computed `rho` is round-off (about
 * 1e-16 times the condition number of L_c).
 */
export const NUMERICAL_ZERO = 1e-8;
const ZERO = NUMERICAL_ZERO;

/** Runs the search (module doc). */
export async function maximumPrincipleSearch(backend: SolverBackend, options: MaximumPrincipleSearchOptions = {}): Promise<MaximumPrincipleSearchResult> {
  const trials = options.trials ?? 200;
  const maxNodes = options.maxNodes ?? 40;
  if (!Number.isInteger(trials) || trials < 1) throw new AnalysisError('trials', `must be a positive integer, got ${trials}`);
  if (!Number.isInteger(maxNodes) || maxNodes < 8) throw new AnalysisError('maxNodes', `must be an integer >= 8, got ${maxNodes}`);
  const random = mulberry32(options.seed ?? 1);
  const isolatedFraction = options.isolatedFraction ?? 0.25;
  let predictedZero = 0;
  let mismatches = 0;
  const mismatchDetails: MaximumPrincipleSearchResult['mismatchDetails'] = [];
  let least: MaximumPrincipleSearchResult['least'] = null;
  let leastInterior = Infinity;
  let leastInteriorCoupling = Infinity;
  let isolatedMax = 0;
  let leastCoupling = Infinity;
  for (let t = 0; t < trials; t++) {
    const nodes = 5 + Math.floor(random() * (maxNodes - 4));
    const inputs = 2 + Math.floor(random() * Math.min(5, nodes - 3));
    const seed = 1 + Math.floor(random() * 1e9);
    const base = erdosRenyi({ nodes, meanDegree: Math.min(2 + 3 * random(), nodes - 1), inputs, outputs: 1, seed });
    let values = Float64Array.from(base.inputNodes, () => (random() < 0.5 ? 1 : 0));
    values[0] = 1;
    values[1] = 0;
    if (random() < isolatedFraction) {
      // the boundary of the output's component: force all of it to the same voltage
      const v = random() < 0.5 ? 1 : 0;
      const adjacent = new Set(outputBoundaries(base)[0]!);
      values = values.map((x, i) => (adjacent.has(i) ? v : x));
    }
    const k = Float64Array.from(base.conductances, () => Math.exp(Math.log(1e-3) + Math.log(1e6) * random()));
    const c = { ...base, inputValues: values, conductances: k };
    const zero = outputIsolation(c).zeroColumn[0]!;
    const q = await quantitiesAt(backend, c, k);
    if (zero) predictedZero++;
    if ((q.coupling <= ZERO) !== zero) {
      mismatches++;
      mismatchDetails.push({ rho: q.coupling, distance: relativeDistance(c, q.output), predictedZero: zero });
    }
    if (zero) isolatedMax = Math.max(isolatedMax, q.coupling);
    if (!zero) leastCoupling = Math.min(leastCoupling, q.coupling);
    if (!zero && (!least || q.normalisedEp < least.value)) least = { value: q.normalisedEp, output: q.output, nodes, seed };
    if (!zero && q.output >= 0.1 && q.output <= 0.9) leastInterior = Math.min(leastInterior, q.normalisedEp);
    if (!zero && relativeDistance(c, q.output) >= 0.1) leastInteriorCoupling = Math.min(leastInteriorCoupling, q.coupling);
  }
  return { trials, predictedZero, mismatches, mismatchDetails, isolatedMax, leastCoupling, least, leastInterior, leastInteriorCoupling };
}

/** Distance of `y` from the nearest voltage on the output's boundary, relative to their spread (0 if single-valued). */
function relativeDistance(c: Parameters<typeof outputIsolation>[0], y: number): number {
  const bv = outputIsolation(c).boundaryVoltages[0]!;
  const spread = bv[bv.length - 1]! - bv[0]!;
  return spread > 0 ? Math.min(y - bv[0]!, bv[bv.length - 1]! - y) / spread : 0;
}
