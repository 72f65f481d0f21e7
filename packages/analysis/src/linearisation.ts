/**
 * The linearisation of a circuit at one or many conductance vectors: everything the analysis
 * needs, from batched solves through the SolverBackend (shared/THEORY.md "Circuit", "States",
 * "Coercivity and regularity"):
 * - free states `x^f_s` of every sample (inputs at `u_s`) and residuals `r_s = y^f_s - t_s`;
 * - AL reference states `x^r_s` (inputs at `u_s`, outputs at `t_s`) and `mu_s = (L x^r_s)[O]`;
 * - the unit-current responses `Z = L_c^{-1} B` (inputs grounded, unit current into output i),
 *   their drops `W = A Z` (m x p) and the output resistance `G = B^T L_c^{-1} B = Z[O]` (p x p),
 *   `D = G^{-1}` (Dirichlet-to-Neumann map).
 * One implementation for both: {@link lineariseBatch} factors all conductance vectors of one set of
 * active edges at once, one batched factorization per Dirichlet set (`factorBatchOf`: a single
 * GPU job on WebGPU): inputs (free states and responses in one solve of `S + p` right-hand sides
 * per system) and inputs + outputs (reference states, `S` per system). {@link linearise} is the
 * same with one system.
 * Conventions: `dv = x[from] - x[to]`; sample-major arrays (`(s, i)` at `s * len + i`).
 */
import type { Circuit } from '@ohmlab/graph';
import { sampleBatch, type SampleBatch } from '@ohmlab/learners';
import { factorBatchOf, type BatchSolveResult, type Network, type SolverBackend } from '@ohmlab/linalg-cpu';
import { inverse, type Dense } from './dense.js';
import { AnalysisError } from './errors.js';
import { assertFinite, checkedConductanceBatch, type ActiveGroup } from './validate-input.js';

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

/** Options of {@link linearise} and {@link lineariseBatch}. */
export interface LineariseOptions {
  /** Samples to linearise over (default: the circuit's samples, or its single pair). */
  readonly batch?: SampleBatch;
}

const HINT = 'the conductances span too many orders of magnitude for float64; rescale them';

/** Drops over ALL edges of the circuit (absent ones included) of `count` states starting at state `first`. */
function drops(circuit: Circuit, voltages: Float64Array, first: number, count: number): Float64Array {
  const n = circuit.nodeCount;
  const m = circuit.edgeFrom.length;
  const out = new Float64Array(count * m);
  for (let s = 0; s < count; s++) {
    const o = (first + s) * n;
    for (let j = 0; j < m; j++) out[s * m + j] = voltages[o + circuit.edgeFrom[j]!]! - voltages[o + circuit.edgeTo[j]!]!;
  }
  return out;
}

/** The active sub-network of `mask` and the active conductances of the group's systems (`systems x active`). */
function activeSystems(circuit: Circuit, k: Float64Array, group: ActiveGroup): { network: Network; conductances: Float64Array } {
  const m = circuit.edgeFrom.length;
  const edges: number[] = [];
  for (let j = 0; j < m; j++) if (group.mask[j]) edges.push(j);
  const network = { nodeCount: circuit.nodeCount, edgeFrom: Uint32Array.from(edges, (j) => circuit.edgeFrom[j]!), edgeTo: Uint32Array.from(edges, (j) => circuit.edgeTo[j]!) };
  const conductances = new Float64Array(group.systems.length * edges.length);
  group.systems.forEach((s, g) => edges.forEach((j, a) => (conductances[g * edges.length + a] = k[s * m + j]!)));
  return { network, conductances };
}

/** Solves of one group: inputs-only (`S` free states then `p` unit responses per system) and inputs + outputs (`S` reference states). */
async function solveGroup(backend: SolverBackend, circuit: Circuit, batch: SampleBatch, network: Network, conductances: Float64Array, systems: number): Promise<{ free: BatchSolveResult; reference: BatchSolveResult }> {
  const { inputNodes, outputNodes } = circuit;
  const S = batch.count;
  const p = outputNodes.length;
  const nIn = inputNodes.length;
  const factorBatch = factorBatchOf(backend);
  const dirichletBoth = new Uint32Array(nIn + p);
  dirichletBoth.set(inputNodes, 0);
  dirichletBoth.set(outputNodes, nIn);
  const inputsOnly = await factorBatch({ network, conductances, dirichletNodes: inputNodes });
  try {
    const P = S + p;
    const held = new Float64Array(systems * P * nIn);
    const injected = new Float64Array(systems * P * p);
    for (let s = 0; s < systems; s++) {
      held.set(batch.inputs, s * P * nIn); // samples first; the p responses keep the inputs at 0
      for (let i = 0; i < p; i++) injected[(s * P + S + i) * p + i] = 1;
    }
    const free = await inputsOnly.solve({ perSystem: P, dirichletValues: held, injection: { nodes: outputNodes, values: injected } });
    const both = await factorBatch({ network, conductances, dirichletNodes: dirichletBoth });
    try {
      const values = new Float64Array(systems * S * (nIn + p));
      for (let s = 0; s < systems; s++) {
        for (let t = 0; t < S; t++) {
          const o = (s * S + t) * (nIn + p);
          values.set(batch.inputs.subarray(t * nIn, (t + 1) * nIn), o);
          values.set(batch.targets.subarray(t * p, (t + 1) * p), o + nIn);
        }
      }
      const reference = await both.solve({ perSystem: S, dirichletValues: values });
      return { free, reference };
    } finally {
      both.dispose();
    }
  } finally {
    inputsOnly.dispose();
  }
}

/** Assembles the linearisation of system `g` of a group from its solves. */
function assemble(circuit: Circuit, batch: SampleBatch, conductances: Float64Array, free: BatchSolveResult, reference: BatchSolveResult, g: number): Linearisation {
  const S = batch.count;
  const p = circuit.outputNodes.length;
  const m = circuit.edgeFrom.length;
  const n = circuit.nodeCount;
  const nIn = circuit.inputNodes.length;
  const P = S + p;
  const v = free.voltages;
  const outputs = new Float64Array(S * p);
  const residual = new Float64Array(S * p);
  for (let t = 0; t < S; t++) {
    for (let o = 0; o < p; o++) {
      outputs[t * p + o] = v[(g * P + t) * n + circuit.outputNodes[o]!]!;
      residual[t * p + o] = outputs[t * p + o]! - batch.targets[t * p + o]!;
    }
  }
  const zDrops = drops(circuit, v, g * P + S, p); // p x m
  const W = new Float64Array(m * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < m; j++) W[j * p + i] = zDrops[i * m + j]!;
  const G = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let o = 0; o < p; o++) G[o * p + i] = v[(g * P + S + i) * n + circuit.outputNodes[o]!]!;
  // symmetrise (G is symmetric in exact arithmetic)
  for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) G[a * p + b] = G[b * p + a] = 0.5 * (G[a * p + b]! + G[b * p + a]!);
  const adjointError = new Float64Array(S * p);
  for (let t = 0; t < S; t++) for (let o = 0; o < p; o++) adjointError[t * p + o] = reference.dirichletCurrents[(g * S + t) * (nIn + p) + nIn + o]!;
  const freeDrops = drops(circuit, v, g * P, S);
  const referenceDrops = drops(circuit, reference.voltages, g * S, S);
  assertFinite('freeState', freeDrops, HINT);
  assertFinite('freeState', outputs, HINT);
  assertFinite('referenceState', referenceDrops, HINT);
  assertFinite('responseDrops', W, HINT);
  const outputResistance = { rows: p, cols: p, data: G };
  const dirichletToNeumann = inverse(outputResistance);
  assertFinite('dirichletToNeumann', dirichletToNeumann.data, HINT);
  return {
    circuit,
    conductances,
    batch,
    sampleCount: S,
    outputCount: p,
    edgeCount: m,
    freeDrops,
    outputs,
    residual,
    referenceDrops,
    adjointError,
    responseDrops: { rows: m, cols: p, data: W },
    outputResistance,
    dirichletToNeumann,
  };
}

/** The batched core, after validation: `systems` vectors in `k` (`systems x m`), grouped by active edges. */
async function lineariseValidated(backend: SolverBackend, circuit: Circuit, k: Float64Array, groups: ActiveGroup[], options: LineariseOptions): Promise<Linearisation[]> {
  if (circuit.outputNodes.length === 0) throw new AnalysisError('outputs', 'the circuit has no output node; coercivity, Jacobian and losses need at least one');
  const batch = options.batch ?? sampleBatch(circuit);
  const m = circuit.edgeFrom.length;
  const out: Linearisation[] = [];
  for (const group of groups) {
    const { network, conductances } = activeSystems(circuit, k, group);
    const { free, reference } = await solveGroup(backend, circuit, batch, network, conductances, group.systems.length);
    group.systems.forEach((s, g) => (out[s] = assemble(circuit, batch, k.slice(s * m, (s + 1) * m), free, reference, g)));
  }
  return out;
}

/**
 * Solves the states above for `circuit` at `conductances` (default `circuit.conductances`; 0 means
 * the edge is absent) over `batch` (default: the circuit's samples, or its single pair):
 * {@link lineariseBatch} with one system.
 * @throws CircuitError (from @ohmlab/graph) for a malformed circuit, a negative or non-finite
 *   conductance, or an output / node with no path to an input through edges with k > 0.
 * @throws AnalysisError when a solve returns non-finite numbers (conductances too extreme).
 */
export async function linearise(backend: SolverBackend, circuit: Circuit, options: LineariseOptions & { conductances?: Float64Array } = {}): Promise<Linearisation> {
  const { conductances, groups } = checkedConductanceBatch(circuit, options.conductances ?? circuit.conductances, 1);
  const [lin] = await lineariseValidated(backend, circuit, conductances, groups, options);
  return lin!;
}

/**
 * The linearisations of `circuit` at many conductance vectors (`conductances`: `systems x m`,
 * system-major; 0 = absent edge), in system order. Systems with the same active edges (all of a
 * landscape's admissible points) share one batched factorization per Dirichlet set, so on WebGPU
 * they are solved as one GPU job per Dirichlet set. Same numbers as {@link linearise} per system.
 * @throws CircuitError as {@link linearise}, naming the system when there are several.
 * @throws AnalysisError for no output node or non-finite solves.
 */
export async function lineariseBatch(backend: SolverBackend, circuit: Circuit, conductances: Float64Array, options: LineariseOptions = {}): Promise<Linearisation[]> {
  const m = circuit.edgeFrom?.length ?? 0;
  const systems = m > 0 ? conductances.length / m : 0;
  if (!Number.isInteger(systems) || systems < 1) {
    throw new AnalysisError('conductances', `has ${conductances.length} entries; expected systems x ${m} edges with systems >= 1`);
  }
  const checked = checkedConductanceBatch(circuit, conductances, systems);
  return lineariseValidated(backend, circuit, checked.conductances, checked.groups, options);
}
