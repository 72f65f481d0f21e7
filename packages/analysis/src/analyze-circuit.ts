/**
 * `analyzeCircuit`: the full report behind `ohmlab analyze` (issue 4; THEORY.md "Coercivity and
 * regularity", "Invariants"). One linearisation (three batches of solves through the backend), then
 * small dense algebra on the m x Sp matrix M (thin SVD, O(m (Sp)^2)); no m x m matrix is formed
 * unless the tangent basis is asked for (`tangentBasis: true`, capped by `maxTangentEdges`).
 */
import type { Circuit } from '@ohmlab/graph';
import type { ParametrisationSpec, Rule } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { activeEdges } from './active-edges.js';
import { coercivityConstants, coercivityMatrix, outputJacobian } from './coercivity.js';
import { conservationReport } from './conservation.js';
import { AnalysisError } from './errors.js';
import { classifyFixedPoint, type FixedPointKind } from './fixed-point.js';
import { linearise } from './linearisation.js';
import { lossesOf } from './losses.js';
import { solutionManifold } from './solution-manifold.js';
import { assertFinite, checkRule, checkTolerance } from './validate-input.js';

export interface AnalyzeOptions {
  /** Rule for the fixed-point classification and the conservation report (default `ep`). */
  readonly rule?: Rule;
  /** Edge j is active when `max_s |dv^f_{s,j}| > activeTolerance * max |dv^f|` (default 1e-9). */
  readonly activeTolerance?: number;
  /** Singular values `<= rankTolerance * sigma_max` count as zero (default 1e-10). */
  readonly rankTolerance?: number;
  /** Relative residual below which the point is a solution (default 1e-9; fixed-point.ts). */
  readonly solutionTolerance?: number;
  /** Alignment below which the update counts as vanishing (default 1e-8; fixed-point.ts). */
  readonly fixedPointTolerance?: number;
  /** Parametrisation of the conservation report (default `conductance`). */
  readonly parametrisation?: ParametrisationSpec;
  /** Conductances to analyse (default `circuit.conductances`; 0 = absent edge). */
  readonly conductances?: Float64Array;
  /** Also return the dense tangent basis of the solution manifold (default false). */
  readonly tangentBasis?: boolean;
  /** Largest edge count for which `tangentBasis` is computed (default 2000; AnalysisError above). */
  readonly maxTangentEdges?: number;
}

/** Conservation block of the report (conservation.ts), with unambiguous names. */
export interface ConservationJson {
  readonly parametrisation: ParametrisationSpec;
  /** Formula of `value`, e.g. `sum_j k_j^2`. */
  readonly quantity: string;
  readonly value: number;
  /** d(value)/dt along the zero-nudge flow per unit learning rate: 0 EP/CL, `-4 L_AL` AL (conductances). */
  readonly rate: number;
  /** `d/dt (1/2 sum_j k_j^2) = sum_j k_j dk_j/dt`: 0 EP/CL, `-2 L_AL` AL (the figure). */
  readonly halfSquaredNormRate: number;
  /** A finite one-sided nudge eta changes `rate` to `rate + eta * driftPerEta` (paper 2 eq. 4.11-4.12). */
  readonly driftPerEta: number;
}

/** The JSON report of `ohmlab analyze --json` (plain numbers and arrays; all finite except `coercivity.clBasin` may be Infinity). */
export interface CircuitAnalysis {
  /** `L = mean_s |r_s|^2 / 2` (V^2). */
  readonly loss: number;
  /** `L_CL = mean_s r_s^T D r_s / 2` (paper 1 eq. 21). */
  readonly weightedLoss: number;
  /** `L_AL = mean_s |mu_s|^2 / 2` (paper 1 sec. 4). */
  readonly adjointLoss: number;
  /** Indices of the active edges (increasing). */
  readonly activeEdges: number[];
  /** Rows of the active-incidence matrix `A_act`, aligned with `activeEdges`: `[from, to]` (+1 at from, -1 at to). */
  readonly activeIncidence: number[][];
  /** Relative tolerance of the active test, and the absolute threshold it gave (volts). */
  readonly activeTolerance: number;
  readonly activeThreshold: number;
  /** Numerical rank of M and the relative tolerance used. */
  readonly rank: number;
  readonly rankTolerance: number;
  /** M has full column rank Sp (the point is regular, EP and CL are coercive). */
  readonly regular: boolean;
  readonly coercivity: { ep: number; cl: number; al: number; clCubic: number; clBasin: number };
  /** `dy/dk = -M^T`, Sp rows (sample-major) of m entries (V per S). */
  readonly jacobian: number[][];
  /** Singular values of M, descending (min(m, Sp) of them). */
  readonly singularValues: number[];
  /** `m - rank`: the solution-manifold dimension when `regular` (else the null-space dimension of dy/dk). */
  readonly manifoldDimension: number;
  /** `m_active - rank`. */
  readonly activeManifoldDimension: number;
  /** Orthonormal tangent basis (m rows of `manifoldDimension` entries), only with `tangentBasis: true`. */
  readonly tangentBasis?: number[][];
  readonly rule: Rule;
  /** = `conservation.value`, `conservation.rate`, `conservation.halfSquaredNormRate`, `conservation.driftPerEta`. */
  readonly conservedQuantity: number;
  readonly massRate: number;
  readonly conductanceWork: number;
  readonly driftPerEta: number;
  readonly conservation: ConservationJson;
  readonly fixedPoint: FixedPointKind;
  /** `|Op e| / (||Op|| |e|)` of the rule's flow (fixed-point.ts). */
  readonly alignment: number;
}

/** Rank of a descending list of singular values at relative tolerance `tol`. */
export function numericalRank(sv: ArrayLike<number>, tol: number): number {
  const top = sv[0] ?? 0;
  let r = 0;
  for (let i = 0; i < sv.length; i++) if (sv[i]! > tol * top && sv[i]! > 0) r++;
  return r;
}

/** Validates the options and fills in the defaults. */
function resolveOptions(options: AnalyzeOptions) {
  const rule = checkRule(options.rule ?? 'ep');
  const maxTangentEdges = options.maxTangentEdges ?? 2000;
  if (!Number.isInteger(maxTangentEdges) || maxTangentEdges < 1) throw new AnalysisError('maxTangentEdges', `must be a positive integer, got ${String(maxTangentEdges)}`);
  return {
    rule,
    activeTolerance: checkTolerance('activeTolerance', options.activeTolerance ?? 1e-9),
    rankTolerance: checkTolerance('rankTolerance', options.rankTolerance ?? 1e-10),
    solutionTolerance: checkTolerance('solutionTolerance', options.solutionTolerance ?? 1e-9),
    fixedPointTolerance: checkTolerance('fixedPointTolerance', options.fixedPointTolerance ?? 1e-8),
    parametrisation: options.parametrisation ?? 'conductance',
    maxTangentEdges,
  };
}

/** Analyses `circuit` (see {@link CircuitAnalysis}). Throws CircuitError / AnalysisError on bad input. */
export async function analyzeCircuit(backend: SolverBackend, circuit: Circuit, options: AnalyzeOptions = {}): Promise<CircuitAnalysis> {
  const o = resolveOptions(options);
  const lin = await linearise(backend, circuit, options.conductances ? { conductances: options.conductances } : {});
  const M = coercivityMatrix(lin);
  const c = coercivityConstants(lin, M);
  const losses = lossesOf(lin);
  const m = lin.edgeCount;
  const active = activeEdges(lin, o.activeTolerance);
  const rank = numericalRank(c.singularValues, o.rankTolerance);
  const J = outputJacobian(lin, M);
  const jacobian = Array.from({ length: J.rows }, (_, r) => Array.from(J.data.subarray(r * J.cols, (r + 1) * J.cols)));
  const fp = classifyFixedPoint(lin, o.rule, { solutionTolerance: o.solutionTolerance, fixedPointTolerance: o.fixedPointTolerance }, M);
  const cons = conservationReport(lin, o.rule, o.parametrisation, M);
  let tangentBasis: number[][] | undefined;
  if (options.tangentBasis === true) {
    const t = solutionManifold(M, rank, o.maxTangentEdges).tangentBasis;
    tangentBasis = Array.from({ length: m }, (_, j) => Array.from(t.data.subarray(j * t.cols, (j + 1) * t.cols)));
  }
  const coercivity = { ep: c.ep, cl: c.cl, al: c.al, clCubic: c.clCubic, clBasin: c.clBasin };
  const hint = 'the conductances are too extreme for float64; rescale them';
  assertFinite('losses', [losses.loss, losses.weightedLoss, losses.adjointLoss], hint);
  assertFinite('coercivity', [c.ep, c.cl, c.al, c.clCubic], hint);
  assertFinite('singularValues', c.singularValues, hint);
  assertFinite('conservation', [cons.conservedQuantity, cons.massRate, cons.conductanceWork, cons.driftPerEta], hint);
  return {
    ...losses,
    activeEdges: active.edges,
    activeIncidence: active.edges.map((j) => [circuit.edgeFrom[j]!, circuit.edgeTo[j]!]),
    activeTolerance: o.activeTolerance,
    activeThreshold: active.threshold,
    rank,
    rankTolerance: o.rankTolerance,
    regular: rank === M.cols,
    coercivity,
    jacobian,
    singularValues: Array.from(c.singularValues),
    manifoldDimension: m - rank,
    activeManifoldDimension: Math.max(0, active.edges.length - rank),
    ...(tangentBasis ? { tangentBasis } : {}),
    rule: o.rule,
    conservedQuantity: cons.conservedQuantity,
    massRate: cons.massRate,
    conductanceWork: cons.conductanceWork,
    driftPerEta: cons.driftPerEta,
    conservation: {
      parametrisation: cons.parametrisation,
      quantity: cons.quantity,
      value: cons.conservedQuantity,
      rate: cons.massRate,
      halfSquaredNormRate: cons.conductanceWork,
      driftPerEta: cons.driftPerEta,
    },
    fixedPoint: fp.kind,
    alignment: fp.alignment,
  };
}
