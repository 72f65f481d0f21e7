/**
 * The linearisation of a circuit at one conductance vector: everything the analysis needs, from
 * three batches of solves through the SolverBackend (shared/THEORY.md "Circuit", "States",
 * "Coercivity and regularity"):
 * - free states `x^f_s` of every sample (inputs at `u_s`) and residuals `r_s = y^f_s - t_s`;
 * - AL reference states `x^r_s` (inputs at `u_s`, outputs at `t_s`) and `mu_s = (L x^r_s)[O]`;
 * - the unit-current responses `Z = L_c^{-1} B` (inputs grounded, unit current into output i),
 *   their drops `W = A Z` (m x p) and the output resistance `G = B^T L_c^{-1} B = Z[O]` (p x p),
 *   `D = G^{-1}` (Dirichlet-to-Neumann map).
 * Conventions: `dv = x[from] - x[to]`; sample-major arrays (`(s, i)` at `s * len + i`).
 */
import type { Circuit } from '@ohmlab/graph';
import { freeState, openStateSolver, referenceState, sampleBatch, type SampleBatch } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { inverse, type Dense } from './dense.js';
import { AnalysisError } from './errors.js';
import { assertFinite, checkedConductances } from './validate-input.js';

/** See the module doc. All arrays are row-major / sample-major. */
export interface Linearisation {
  readonly circuit: Circuit;
  readonly conductances: Float64Array;
  readonly batch: SampleBatch;
  /** Samples S, outputs p, edges m. */
  readonly sampleCount: number;
  readonly outputCount: number;
  readonly edgeCount: number;
  /** Free drops `dv^f`, `S x m`. */
  readonly freeDrops: Float64Array;
  /** Free outputs `y^f`, `S x p`. */
  readonly outputs: Float64Array;
  /** `r = y^f - t`, `S x p`. */
  readonly residual: Float64Array;
  /** Reference drops `dv^r`, `S x m`. */
  readonly referenceDrops: Float64Array;
  /** `mu = (L x^r)[O]`, `S x p`. */
  readonly adjointError: Float64Array;
  /** `W = A L_c^{-1} B`, m x p: drops of the unit-current responses. */
  readonly responseDrops: Dense;
  /** `G = B^T L_c^{-1} B`, p x p. */
  readonly outputResistance: Dense;
  /** `D = G^{-1}`, p x p. */
  readonly dirichletToNeumann: Dense;
}

function drops(circuit: Circuit, voltages: Float64Array, count: number): Float64Array {
  const n = circuit.nodeCount;
  const m = circuit.edgeFrom.length;
  const out = new Float64Array(count * m);
  for (let s = 0; s < count; s++) {
    for (let j = 0; j < m; j++) out[s * m + j] = voltages[s * n + circuit.edgeFrom[j]!]! - voltages[s * n + circuit.edgeTo[j]!]!;
  }
  return out;
}

/**
 * Solves the states above for `circuit` at `conductances` (default `circuit.conductances`; 0 means
 * the edge is absent) over `batch` (default: the circuit's samples, or its single pair).
 * @throws CircuitError (from @ohmlab/graph) for a malformed circuit, a negative or non-finite
 *   conductance, or an output / node with no path to an input through edges with k > 0.
 * @throws AnalysisError when a solve returns non-finite numbers (conductances too extreme).
 */
export async function linearise(
  backend: SolverBackend,
  circuit: Circuit,
  options: { conductances?: Float64Array; batch?: SampleBatch } = {},
): Promise<Linearisation> {
  const conductances = checkedConductances(circuit, options.conductances);
  if (circuit.outputNodes.length === 0) throw new AnalysisError('outputs', 'the circuit has no output node; coercivity, Jacobian and losses need at least one');
  const batch = options.batch ?? sampleBatch(circuit);
  const solver = openStateSolver(backend, circuit, { conductances });
  try {
    const S = batch.count;
    const p = circuit.outputNodes.length;
    const m = circuit.edgeFrom.length;
    const n = circuit.nodeCount;
    const nIn = circuit.inputNodes.length;
    const free = await freeState(solver, batch);
    const ref = await referenceState(solver, batch);
    const fac = await solver.inputsOnly();
    const eye = new Float64Array(p * p);
    for (let i = 0; i < p; i++) eye[i * p + i] = 1;
    const res = await fac.solve({
      count: p,
      dirichletValues: new Float64Array(p * nIn),
      injection: { nodes: circuit.outputNodes, values: eye },
    });
    const zDrops = drops(circuit, res.voltages, p); // p x m
    const W = new Float64Array(m * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < m; j++) W[j * p + i] = zDrops[i * m + j]!;
    const G = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let o = 0; o < p; o++) G[o * p + i] = res.voltages[i * n + circuit.outputNodes[o]!]!;
    // symmetrise (G is symmetric in exact arithmetic)
    for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) G[a * p + b] = G[b * p + a] = 0.5 * (G[a * p + b]! + G[b * p + a]!);
    const outputResistance = { rows: p, cols: p, data: G };
    const hint = 'the conductances span too many orders of magnitude for float64; rescale them';
    assertFinite('freeState', free.voltages, hint);
    assertFinite('referenceState', ref.voltages, hint);
    assertFinite('responseDrops', W, hint);
    const dirichletToNeumann = inverse(outputResistance);
    assertFinite('dirichletToNeumann', dirichletToNeumann.data, hint);
    return {
      circuit,
      conductances,
      batch,
      sampleCount: S,
      outputCount: p,
      edgeCount: m,
      freeDrops: drops(circuit, free.voltages, S),
      outputs: free.outputs,
      residual: free.residual,
      referenceDrops: drops(circuit, ref.voltages, S),
      adjointError: ref.adjointError,
      responseDrops: { rows: m, cols: p, data: W },
      outputResistance,
      dirichletToNeumann,
    };
  } finally {
    solver.dispose();
  }
}
