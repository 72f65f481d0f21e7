/**
 * A basis of all states of a step (README "One factorization per step"). Every state of the
 * `response` strategy is a linear combination of K = q + p solves on the one inputs-only
 * factorization:
 * - q "input" states: either the free state of each sample (`kind: 'samples'`, q = S), or, when
 *   fewer, one state per input node that is nonzero in some sample, held at 1 V with the other
 *   inputs grounded (`kind: 'inputs'`; the free state of sample s is then `sum_b u_sb x_b`);
 * - p unit-current output responses `z_i` (`output-response.ts`).
 * States are kept as coefficient rows over the basis (`FactoredStates`); their node voltages are
 * formed only when read, and the rules' contrast uses the basis drops directly (`rules.ts`).
 */
import type { Circuit } from '@ohmlab/graph';
import type { Factorization } from '@ohmlab/linalg-cpu';
import { outputResponseFrom, type OutputResponse } from './output-response.js';
import type { SampleBatch } from './samples.js';
import { solveChecked } from './solve-checked.js';

/** See the module doc. */
export interface StateBasis {
  readonly kind: 'samples' | 'inputs';
  readonly nodeCount: number;
  /** q: input states (rows `0..q-1` of `voltages`). */
  readonly inputStates: number;
  /** For `inputs`: the input positions (into `circuit.inputNodes`) of the q basis states. */
  readonly inputPositions: Uint32Array;
  /** K = q + p. */
  readonly size: number;
  /** `K x nodeCount`: the q input states, then the p output responses. */
  readonly voltages: Float64Array;
  readonly response: OutputResponse;
}

/** Coefficients of `count` states over a basis (`count x K`); `factored` on a `NodeStates`. */
export interface Factored {
  readonly basis: StateBasis;
  readonly coefficients: Float64Array;
}

/** Which input states a basis holds: the samples' own, or unit states of the input `positions`. */
export interface BasisPlan {
  readonly kind: 'samples' | 'inputs';
  readonly positions: Uint32Array;
}

/**
 * The input positions a batch needs: inputs with a nonzero value in some sample (ground never).
 * `samples` basis when they are not fewer than the samples.
 */
export function basisPlan(batch: SampleBatch): BasisPlan {
  const used: number[] = [];
  for (let b = 0; b < batch.inputCount; b++) {
    for (let s = 0; s < batch.count; s++) {
      if (batch.inputs[s * batch.inputCount + b] !== 0) {
        used.push(b);
        break;
      }
    }
  }
  return used.length < batch.count ? { kind: 'inputs', positions: Uint32Array.from(used) } : { kind: 'samples', positions: new Uint32Array(0) };
}

/** Dirichlet values (`q x nIn`) of the q input states of a plan. */
export function basisDirichletValues(plan: BasisPlan, batch: SampleBatch): Float64Array {
  if (plan.kind === 'samples') return batch.inputs;
  const nIn = batch.inputCount;
  const vals = new Float64Array(plan.positions.length * nIn);
  plan.positions.forEach((b, r) => (vals[r * nIn + b] = 1));
  return vals;
}

/** Coefficients (`S x K`) of the free states of `batch` over `basis`. */
export function freeCoefficients(basis: StateBasis, batch: SampleBatch): Float64Array {
  const K = basis.size;
  const a = new Float64Array(batch.count * K);
  for (let s = 0; s < batch.count; s++) {
    if (basis.kind === 'samples') a[s * K + s] = 1;
    else basis.inputPositions.forEach((b, r) => (a[s * K + r] = batch.inputs[s * batch.inputCount + b]!));
  }
  return a;
}

/** `sum_k a_sk basis_k[nodes]` for each of `count` coefficient rows: `count x nodes.length`. */
export function basisValuesAt(basis: StateBasis, coefficients: Float64Array, count: number, nodes: Uint32Array): Float64Array {
  const K = basis.size;
  const n = basis.nodeCount;
  const out = new Float64Array(count * nodes.length);
  for (let s = 0; s < count; s++) {
    for (let o = 0; o < nodes.length; o++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += coefficients[s * K + k]! * basis.voltages[k * n + nodes[o]!]!;
      out[s * nodes.length + o] = acc;
    }
  }
  return out;
}

/** Node voltages (`count x n`) of `count` coefficient rows. */
export function materialize(basis: StateBasis, coefficients: Float64Array, count: number): Float64Array {
  const K = basis.size;
  const n = basis.nodeCount;
  const out = new Float64Array(count * n);
  for (let s = 0; s < count; s++) {
    const row = out.subarray(s * n, (s + 1) * n);
    for (let k = 0; k < K; k++) {
      const c = coefficients[s * K + k]!;
      if (c === 0) continue;
      const off = k * n;
      for (let q = 0; q < n; q++) row[q] = row[q]! + c * basis.voltages[off + q]!;
    }
  }
  return out;
}

/**
 * A `NodeStates`-shaped object over a basis: `voltages` is formed on first read (and kept);
 * `factored` carries the coefficients for the contrast. `extra` fields are copied in.
 */
export function factoredStates<T extends object>(basis: StateBasis, coefficients: Float64Array, count: number, extra: T) {
  let voltages: Float64Array | undefined;
  return {
    ...extra,
    count,
    nodeCount: basis.nodeCount,
    factored: { basis, coefficients } as Factored,
    get voltages(): Float64Array {
      voltages ??= materialize(basis, coefficients, count);
      return voltages;
    },
  };
}

/**
 * Solves the basis of `plan` on the inputs-only factorization `f` in ONE call: its q input states,
 * then the p unit-current output responses (only when `response` is null; otherwise those rows
 * are copied from it).
 */
export async function solveStateBasis(f: Factorization, circuit: Circuit, plan: BasisPlan, batch: SampleBatch, response: OutputResponse | null): Promise<StateBasis> {
  const n = circuit.nodeCount;
  const p = circuit.outputNodes.length;
  const nIn = circuit.inputNodes.length;
  const q = plan.kind === 'samples' ? batch.count : plan.positions.length;
  const R = response ? 0 : p;
  const dirichletValues = new Float64Array((q + R) * nIn);
  dirichletValues.set(basisDirichletValues(plan, batch));
  const injection = new Float64Array((q + R) * p);
  for (let i = 0; i < R; i++) injection[(q + i) * p + i] = 1;
  const rhs = { count: q + R, dirichletValues, ...(R > 0 ? { injection: { nodes: circuit.outputNodes, values: injection } } : {}) };
  const res = await solveChecked(f, rhs, 'free states and output response');
  let voltages = res.voltages;
  if (response) {
    voltages = new Float64Array((q + p) * n);
    voltages.set(res.voltages.subarray(0, q * n));
    voltages.set(response.voltages, q * n);
  }
  const resp = response ?? outputResponseFrom(res.voltages.slice(q * n), n, circuit.outputNodes);
  return { kind: plan.kind, nodeCount: n, inputStates: q, inputPositions: plan.positions, size: q + p, voltages, response: resp };
}
