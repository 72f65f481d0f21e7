/**
 * The kite investigation (paper 1, section 6). Three readings of the lost figure, each with
 * source s = node 0 (1 V) and ground g = node 1 (0 V), side corners a = 2, b = 3:
 * - `strut`  (the graph package's `kite()`): output o = 4 in the middle of a cross-strut a-o-b;
 * - `bridge` (Wheatstone): edges s-a, a-g, s-b, b-g, a-b, output a;
 * - `corners`: the bridge with two outputs a and b.
 * For each: the analysis at the balanced point (all k = 1), at random conductances, and the
 * least normalised c_EP a degeneracy search finds.
 */
import { kite, type Circuit } from '@ohmlab/graph';
import { mulberry32 } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { analyzeCircuit, type CircuitAnalysis } from '../analyze-circuit.js';
import { degeneracySearch, type DegeneracyResult } from './degeneracy.js';
import { quantitiesAt } from './objective.js';

export type KiteReading = 'strut' | 'bridge' | 'corners';

/** The circuit of a reading, with all conductances `k` (default 1) and the given targets. */
export function kiteReading(reading: KiteReading, targets?: ArrayLike<number>): Circuit {
  if (reading === 'strut') return kite(targets ? { targets } : {});
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
  readonly balanced: CircuitAnalysis;
  /** min normalised c_EP over `randomSamples` random conductance vectors in [0.1, 10]. */
  readonly randomMinNormalisedEp: number;
  readonly search: DegeneracyResult;
}

/** Runs the investigation for every reading (module doc). */
export async function kiteInvestigation(backend: SolverBackend, options: { randomSamples?: number; restarts?: number; evaluations?: number; seed?: number } = {}): Promise<KiteFinding[]> {
  const out: KiteFinding[] = [];
  for (const reading of ['strut', 'bridge', 'corners'] as const) {
    const c = kiteReading(reading);
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
