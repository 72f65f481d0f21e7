/**
 * `analyzeCircuit`: the full report behind `ohmlab analyze` (issue 4; THEORY.md "Coercivity and
 * regularity", "Invariants"). One linearisation (three batches of solves), then small dense
 * algebra on the m x Sp matrix M.
 */
import type { Circuit } from '@ohmlab/graph';
import type { ParametrisationSpec, Rule } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { coercivityConstants, coercivityMatrix, outputJacobian } from './coercivity.js';
import { conservationReport } from './conservation.js';
import { AnalysisError } from './errors.js';
import { classifyFixedPoint, type FixedPointKind } from './fixed-point.js';
import { linearise } from './linearisation.js';
import { lossesOf } from './losses.js';

export interface AnalyzeOptions {
  /** Rule for the fixed-point classification and the conservation report (default `ep`). */
  readonly rule?: Rule;
  /** Edge j is active when `max_s |dv^f_{s,j}| > activeTolerance * max |dv^f|` (default 1e-9). */
  readonly activeTolerance?: number;
  /** Singular values `<= rankTolerance * sigma_max` count as zero (default 1e-10). */
  readonly rankTolerance?: number;
  readonly solutionTolerance?: number;
  readonly fixedPointTolerance?: number;
  /** Parametrisation of the conservation report (default `conductance`). */
  readonly parametrisation?: ParametrisationSpec;
  /** Conductances to analyse (default `circuit.conductances`). */
  readonly conductances?: Float64Array;
}

/** The JSON report of `ohmlab analyze --json` (plain numbers and arrays). */
export interface CircuitAnalysis {
  /** `L = mean_s |r_s|^2 / 2`. */
  readonly loss: number;
  /** `L_CL = mean_s r_s^T D r_s / 2`. */
  readonly weightedLoss: number;
  /** `L_AL = mean_s |mu_s|^2 / 2`. */
  readonly adjointLoss: number;
  /** Indices of the active edges. */
  readonly activeEdges: number[];
  readonly activeTolerance: number;
  /** Numerical rank of M. */
  readonly rank: number;
  /** M has full column rank Sp (the point is regular, EP is coercive). */
  readonly regular: boolean;
  readonly coercivity: { ep: number; cl: number; al: number; clCubic: number; clBasin: number };
  /** `dy/dk = -M^T`, Sp rows (sample-major) of m entries. */
  readonly jacobian: number[][];
  readonly singularValues: number[];
  /** `m - rank` at a regular point (also reported otherwise: the null-space dimension of dy/dk). */
  readonly manifoldDimension: number;
  /** `m_active - rank`. */
  readonly activeManifoldDimension: number;
  readonly rule: Rule;
  readonly conservedQuantity: number;
  readonly massRate: number;
  readonly conductanceWork: number;
  readonly driftPerEta: number;
  readonly fixedPoint: FixedPointKind;
  readonly alignment: number;
}

/** Rank of a descending list of singular values at relative tolerance `tol`. */
export function numericalRank(sv: ArrayLike<number>, tol: number): number {
  const top = sv[0] ?? 0;
  let r = 0;
  for (let i = 0; i < sv.length; i++) if (sv[i]! > tol * top && sv[i]! > 0) r++;
  return r;
}

/** Analyses `circuit` (see {@link CircuitAnalysis}). */
export async function analyzeCircuit(backend: SolverBackend, circuit: Circuit, options: AnalyzeOptions = {}): Promise<CircuitAnalysis> {
  const rule = options.rule ?? 'ep';
  if (rule !== 'ep' && rule !== 'cl' && rule !== 'al') throw new AnalysisError('rule', `must be "ep", "cl" or "al", got ${JSON.stringify(rule)}`);
  const activeTolerance = options.activeTolerance ?? 1e-9;
  const rankTolerance = options.rankTolerance ?? 1e-10;
  for (const [name, v] of [['activeTolerance', activeTolerance], ['rankTolerance', rankTolerance]] as const) {
    if (!(v >= 0 && v < 1)) throw new AnalysisError(name, `must be in [0, 1), got ${v}`);
  }
  const lin = await linearise(backend, circuit, options.conductances ? { conductances: options.conductances } : {});
  const M = coercivityMatrix(lin);
  const c = coercivityConstants(lin, M);
  const losses = lossesOf(lin);
  const { edgeCount: m, sampleCount: S } = lin;
  let maxDrop = 0;
  for (const d of lin.freeDrops) maxDrop = Math.max(maxDrop, Math.abs(d));
  const activeEdges: number[] = [];
  for (let j = 0; j < m; j++) {
    let d = 0;
    for (let s = 0; s < S; s++) d = Math.max(d, Math.abs(lin.freeDrops[s * m + j]!));
    if (d > activeTolerance * maxDrop && d > 0) activeEdges.push(j);
  }
  const rank = numericalRank(c.singularValues, rankTolerance);
  const J = outputJacobian(lin, M);
  const jacobian = Array.from({ length: J.rows }, (_, r) => Array.from(J.data.subarray(r * J.cols, (r + 1) * J.cols)));
  const fp = classifyFixedPoint(lin, rule, {
    ...(options.solutionTolerance !== undefined ? { solutionTolerance: options.solutionTolerance } : {}),
    ...(options.fixedPointTolerance !== undefined ? { fixedPointTolerance: options.fixedPointTolerance } : {}),
  }, M);
  const cons = conservationReport(lin, rule, options.parametrisation ?? 'conductance', M);
  return {
    ...losses,
    activeEdges,
    activeTolerance,
    rank,
    regular: rank === M.cols,
    coercivity: { ep: c.ep, cl: c.cl, al: c.al, clCubic: c.clCubic, clBasin: c.clBasin },
    jacobian,
    singularValues: Array.from(c.singularValues),
    manifoldDimension: m - rank,
    activeManifoldDimension: activeEdges.length - rank,
    rule,
    conservedQuantity: cons.conservedQuantity,
    massRate: cons.massRate,
    conductanceWork: cons.conductanceWork,
    driftPerEta: cons.driftPerEta,
    fixedPoint: fp.kind,
    alignment: fp.alignment,
  };
}
