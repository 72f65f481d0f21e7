/**
 * The output response of a circuit (THEORY.md "Circuit"): with the inputs grounded, inject a unit
 * current into output `i` and record the node voltages `z_i`. Stacked, `Z = L_c^{-1} B` (here
 * `p x nodeCount`, row i = `z_i`), the output resistance `G = B^T Z` (`G[i][o] = z_i[O_o]`, volts
 * per ampere, symmetric positive definite) and the Dirichlet-to-Neumann map `D = G^{-1}`.
 *
 * Every state of a training step is the free state plus a combination of the rows of `Z`
 * (THEORY.md "States"; derivation in the README, "One factorization per step"):
 * - a state with inputs grounded and current `c` injected at the outputs is `sum_i c_i z_i`;
 * - holding the outputs at `e` instead needs the current `c = D e`;
 * - the AL reference state is `x^f + Z^T D (t - y^f)`, with `mu = D (t - y^f)`.
 * So one factorization (Dirichlet set = inputs) and `S + p` right-hand sides give them all (or
 * `q + p`, with q <= S unit-input states, `state-basis.ts`).
 */
import { spdFactor, spdInverse as spdInverse64 } from '@ohmlab/linalg-cpu';
import { LearnerNumericalError } from './errors.js';

/** See the module doc. All matrices row-major. */
export interface OutputResponse {
  /** p, the number of outputs. */
  readonly outputCount: number;
  readonly nodeCount: number;
  /** `Z`, `p x nodeCount`: row i = voltages for a unit current into output i, inputs grounded. */
  readonly voltages: Float64Array;
  /** `G = B^T L_c^{-1} B`, `p x p` (symmetrised), in ohms. */
  readonly resistance: Float64Array;
  /** `D = G^{-1}`, `p x p`, in siemens. */
  readonly dirichletToNeumann: Float64Array;
}

/** Builds the {@link OutputResponse} from the `p` unit-current solves (`voltages`, `p x n`). */
export function outputResponseFrom(voltages: Float64Array, nodeCount: number, outputNodes: Uint32Array): OutputResponse {
  const p = outputNodes.length;
  const G = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let o = 0; o < p; o++) G[i * p + o] = voltages[i * nodeCount + outputNodes[o]!]!;
  }
  // symmetrise: iterative solvers leave O(tolerance) asymmetry
  for (let i = 0; i < p; i++) {
    for (let o = i + 1; o < p; o++) {
      const a = 0.5 * (G[i * p + o]! + G[o * p + i]!);
      G[i * p + o] = a;
      G[o * p + i] = a;
    }
  }
  return { outputCount: p, nodeCount, voltages, resistance: G, dirichletToNeumann: spdInverse(G, p) };
}

/**
 * Inverse of a symmetric positive definite `p x p` matrix by Cholesky.
 * @throws LearnerNumericalError when it is not numerically positive definite.
 */
export function spdInverse(a: Float64Array, p: number): Float64Array {
  const { factor, badPivot } = spdFactor(a, p, 1e-14);
  if (badPivot >= 0) {
    throw new LearnerNumericalError(
      `the output resistance matrix G is not positive definite (pivot ${badPivot}); two outputs may be shorted together or conductances degenerate`,
    );
  }
  return spdInverse64(factor, p);
}

/** `out_s = M v_s` for each of the `count` vectors `v` (`count x p`), `M` `p x p` row-major. */
export function applyMatrix(m: Float64Array, v: Float64Array, count: number, p: number): Float64Array {
  const out = new Float64Array(count * p);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < p; i++) {
      let acc = 0;
      for (let o = 0; o < p; o++) acc += m[i * p + o]! * v[s * p + o]!;
      out[s * p + i] = acc;
    }
  }
  return out;
}

/**
 * States `x = base_s + eta_b * sum_i c[s, i] z_i` for each nudge `eta_b` in `scales` (block b) and
 * each of the `count` coefficient rows s: `scales.length * count` states, `count x n` per block,
 * sample-major. `base` (`count x n`) null means 0.
 */
export function combineResponse(
  response: OutputResponse,
  coefficients: Float64Array,
  count: number,
  base: Float64Array | null = null,
  scales: readonly number[] = [1],
): Float64Array {
  const n = response.nodeCount;
  const p = response.outputCount;
  const z = response.voltages;
  const out = new Float64Array(scales.length * count * n);
  scales.forEach((scale, b) => {
    for (let s = 0; s < count; s++) {
      const row = out.subarray((b * count + s) * n, (b * count + s + 1) * n);
      if (base) row.set(base.subarray(s * n, (s + 1) * n));
      for (let i = 0; i < p; i++) {
        const c = scale * coefficients[s * p + i]!;
        if (c === 0) continue;
        const zo = i * n;
        for (let q = 0; q < n; q++) row[q] = row[q]! + c * z[zo + q]!;
      }
    }
  });
  return out;
}
