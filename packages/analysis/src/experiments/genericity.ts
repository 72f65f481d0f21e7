/**
 * Genericity experiment (paper 1, Proposition 6.1): sample targets uniformly inside the input
 * range (shrunk by `margin`), train each to its solution manifold with the continuous zero-nudge
 * flow of `rule` (@ohmlab/learners `trainContinuous`), and report the coercivity constant at the
 * end point; the smallest one met says how close generic solutions come to degeneracy.
 */
import { mulberry32, type Circuit } from '@ohmlab/graph';
import { trainContinuous, type Rule } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { AnalysisError } from '../errors.js';
import { quantitiesAt } from './objective.js';

export interface GenericityOptions {
  readonly rule?: Rule;
  /** Number of sampled targets (default 10). */
  readonly targets?: number;
  readonly seed?: number;
  /** Training time per target (default 200) and loss tolerance (default 1e-16). */
  readonly duration?: number;
  readonly lossTolerance?: number;
  /** A run counts as on the manifold when its final loss is at most this (default 1e-10). */
  readonly acceptLoss?: number;
  /** Fraction of the input range kept clear at both ends (default 0.1). */
  readonly margin?: number;
}

export interface GenericityRun {
  readonly targets: number[];
  /** L at the end point (`null` when it cannot be solved, see `failure`). */
  readonly finalLoss: number | null;
  readonly stop: string;
  /** Constants at the end point; `null` when it has none (an output lost its path to an input), see `failure`. */
  readonly coercivity: { ep: number; cl: number; al: number; normalisedEp: number } | null;
  readonly failure?: string;
}

export interface GenericityResult {
  readonly runs: GenericityRun[];
  /** Runs that reached `acceptLoss` (points of their solution manifold). */
  readonly accepted: number;
  /** Smallest `c_EP` (and normalised) over runs whose final loss is at most `acceptLoss` (Infinity if none). */
  readonly smallestEp: number;
  readonly smallestNormalisedEp: number;
}

/** Runs the experiment (module doc). */
export async function genericity(backend: SolverBackend, circuit: Circuit, options: GenericityOptions = {}): Promise<GenericityResult> {
  const random = mulberry32(options.seed ?? 1);
  const count = options.targets ?? 10;
  if (!Number.isInteger(count) || count < 1) throw new AnalysisError('targets', `must be a positive integer, got ${count}`);
  if (circuit.samples && circuit.samples.length > 0) throw new AnalysisError('circuit.samples', 'genericity samples single target vectors; pass a circuit without a dataset');
  const margin = options.margin ?? 0.1;
  if (!(margin >= 0 && margin < 0.5)) throw new AnalysisError('margin', `must be in [0, 0.5), got ${margin}`);
  const tol = options.lossTolerance ?? 1e-16;
  const lo = Math.min(...circuit.inputValues);
  const hi = Math.max(...circuit.inputValues);
  const runs: GenericityRun[] = [];
  let smallestEp = Infinity;
  let smallestNormalisedEp = Infinity;
  let accepted = 0;
  for (let r = 0; r < count; r++) {
    const targets = Float64Array.from(circuit.outputNodes, () => lo + (hi - lo) * (margin + (1 - 2 * margin) * random()));
    const c = { ...circuit, targets };
    const res = await trainContinuous(backend, c, {
      rule: options.rule ?? 'ep',
      nudge: 'zero',
      duration: options.duration ?? 200,
      record: 2,
      lossTolerance: tol,
      recordConductances: false,
    });
    const k = res.final.conductances;
    // removed edges have conductance 0 (absent); a disconnected end point has no constants
    let failure: string | undefined;
    const q = await quantitiesAt(backend, c, k).catch((e: unknown) => {
      failure = e instanceof Error ? e.message : String(e);
      return null;
    });
    const coercivity = q ? { ep: q.ep, cl: q.cl, al: q.al, normalisedEp: q.normalisedEp } : null;
    runs.push({ targets: Array.from(targets), finalLoss: q ? q.loss : null, stop: res.stop.reason, coercivity, ...(failure !== undefined ? { failure } : {}) });
    if (q && q.loss <= (options.acceptLoss ?? 1e-10)) {
      accepted++;
      smallestEp = Math.min(smallestEp, q.ep);
      smallestNormalisedEp = Math.min(smallestNormalisedEp, q.normalisedEp);
    }
  }
  return { runs, accepted, smallestEp, smallestNormalisedEp };
}
