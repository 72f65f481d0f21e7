/**
 * Census of every reading of a lost small figure: all circuits on a source s (node 0, 1 V), a ground
 * g (node 1, 0 V) and `interior` further nodes (default 1, 2 and 3, i.e. up to the kite's five
 * nodes), with ONE output (the last node; by relabelling this covers every choice), over every
 * subset of the edges of the complete graph such that every node reaches an input. Each circuit is
 * evaluated at all conductances 1 and at `randomSamples` log-uniform conductance vectors in
 * [0.1, 10]. For each evaluation we compare the numerical `c_EP = |M|^2` (p = 1) with the
 * maximum-principle prediction (maximum-principle.ts: M = 0 iff the inputs adjacent to the output's
 * component hold one voltage), and report the least normalised `c_EP` met where M != 0.
 * Any reading of paper 1's single-output kite is one of these circuits.
 */
import { mulberry32, validateCircuit, type Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { AnalysisError } from '../errors.js';
import { outputIsolation } from '../maximum-principle.js';
import { NUMERICAL_ZERO } from './maximum-principle-search.js';
import { quantitiesAt } from './objective.js';

export interface CensusOptions {
  readonly interior?: readonly number[];
  readonly randomSamples?: number;
  readonly seed?: number;
}

export interface CensusResult {
  /** Circuits enumerated (every node reaches an input), per interior count. */
  readonly circuits: Record<string, number>;
  readonly evaluations: number;
  /** Circuits whose output sees a single input voltage (M = 0 predicted at every k). */
  readonly isolatedCircuits: number;
  /** Evaluations where the prediction and the numbers disagree (numerical zero: coupling rho <= NUMERICAL_ZERO = 1e-8). */
  readonly mismatches: number;
  /** Largest coupling rho over isolated evaluations (round-off only). */
  readonly isolatedMax: number;
  /** Smallest coupling rho over evaluations with M != 0 predicted. */
  readonly leastCoupling: number;
  /** Least normalised c_EP over evaluations with M != 0 predicted, and where. */
  readonly least: { readonly value: number; readonly edges: number[][]; readonly conductances: number[]; readonly output: number } | null;
  /** Free outputs of isolated circuits farther than 1e-12 V from 0 and 1 (the theorem: none). */
  readonly isolatedOutputs: number[];
}

/** All node pairs of K_n, in lexicographic order. */
function pairs(n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) out.push([a, b]);
  return out;
}

function circuitOf(n: number, edges: [number, number][], k: Float64Array): Circuit | null {
  const c: Circuit = {
    nodeCount: n,
    edgeFrom: Uint32Array.from(edges, (e) => e[0]),
    edgeTo: Uint32Array.from(edges, (e) => e[1]),
    conductances: k,
    inputNodes: Uint32Array.of(0, 1),
    inputValues: Float64Array.of(1, 0),
    outputNodes: Uint32Array.of(n - 1),
    targets: Float64Array.of(0.5),
  };
  try {
    return validateCircuit(c);
  } catch {
    return null; // a node without a path to an input: not a usable reading
  }
}

/** Runs the census (module doc). */
export async function kiteCensus(backend: SolverBackend, options: CensusOptions = {}): Promise<CensusResult> {
  const interiors = options.interior ?? [1, 2, 3];
  if (interiors.some((i) => !Number.isInteger(i) || i < 1 || i > 4)) throw new AnalysisError('interior', `entries must be integers in [1, 4], got ${interiors.join(', ')}`);
  const R = options.randomSamples ?? 5;
  const random = mulberry32(options.seed ?? 1);
  const circuits: Record<string, number> = {};
  let evaluations = 0;
  let isolatedCircuits = 0;
  let mismatches = 0;
  let isolatedMax = 0;
  let leastCoupling = Infinity;
  let least: CensusResult['least'] = null;
  const isolatedOutputs: number[] = [];
  for (const interior of interiors) {
    const n = interior + 2;
    const all = pairs(n);
    let count = 0;
    for (let mask = 1; mask < 1 << all.length; mask++) {
      const edges = all.filter((_, i) => mask & (1 << i));
      const c = circuitOf(n, edges, new Float64Array(edges.length).fill(1));
      if (!c) continue;
      count++;
      const isolated = outputIsolation(c).zeroColumn[0]!;
      if (isolated) isolatedCircuits++;
      for (let r = 0; r <= R; r++) {
        const k = r === 0 ? c.conductances : Float64Array.from(edges, () => Math.exp(Math.log(0.1) + Math.log(100) * random()));
        const q = await quantitiesAt(backend, c, k);
        evaluations++;
        const numericallyZero = q.coupling <= NUMERICAL_ZERO;
        if (numericallyZero !== isolated) mismatches++;
        if (isolated) {
          isolatedMax = Math.max(isolatedMax, q.coupling);
          isolatedOutputs.push(q.output);
          continue;
        }
        leastCoupling = Math.min(leastCoupling, q.coupling);
        if (!least || q.normalisedEp < least.value) least = { value: q.normalisedEp, edges: edges.map((e) => [...e]), conductances: Array.from(k), output: q.output };
      }
    }
    circuits[String(interior)] = count;
  }
  const strict = isolatedOutputs.filter((y) => y > 1e-12 && y < 1 - 1e-12);
  return { circuits, evaluations, isolatedCircuits, mismatches, isolatedMax, leastCoupling, least, isolatedOutputs: strict };
}
