/**
 * The `response` strategy: states formed from the free states and the output response
 * `Z`, `D` (`output-response.ts`), no solve of their own. With `e = t - y^f` (THEORY.md "States"):
 * - EP clamped `xh = Z^T e` (current `e` injected);
 * - CL clamped `xh = Z^T D e` (outputs held at `e` need the current `D e`);
 * - AL reference `x^r = x^f + Z^T D e`, adjoint error `mu = (L x^r)[O] = D e`
 *   (`(L x^f)[O] = 0` and each `z_i` carries a unit current into output i);
 * - AL clamped `xh = Z^T D mu`;
 * - nudged `x^eta = x^0 + eta xh` (x^0 = free for EP/CL, reference for AL).
 * States whose base is factored over a `StateBasis` stay factored (coefficient rows; the response
 * `z_i` is basis row `q + i`); others are formed as node voltages.
 */
import { applyMatrix, combineResponse, type OutputResponse } from './output-response.js';
import type { SampleBatch } from './samples.js';
import { basisValuesAt, factoredStates, freeCoefficients, type StateBasis } from './state-basis.js';
import type { BaseState, ClampedState, FreeState, NudgedStates, ReferenceState, Rule } from './state-types.js';

/** `t - y^f = -r`, `count x p`. */
export function targetError(free: FreeState): Float64Array {
  const e = new Float64Array(free.residual.length);
  for (let i = 0; i < e.length; i++) e[i] = -free.residual[i]!;
  return e;
}

/** The free states of `batch` over `basis` (factored; outputs and residuals formed now). */
export function factoredFreeState(basis: StateBasis, batch: SampleBatch, outputNodes: Uint32Array): FreeState {
  const a = freeCoefficients(basis, batch);
  const outputs = basisValuesAt(basis, a, batch.count, outputNodes);
  const residual = new Float64Array(outputs.length);
  for (let i = 0; i < outputs.length; i++) residual[i] = outputs[i]! - batch.targets[i]!;
  return factoredStates(basis, a, batch.count, { kind: 'free' as const, outputs, residual });
}

/**
 * Coefficient rows `base_s + scale_b * [0_q, c_s]` for each scale (block b), `count x K` per block:
 * a base state plus output-current combinations of the response rows.
 */
function shiftedCoefficients(basis: StateBasis, base: Float64Array | null, c: Float64Array, count: number, scales: readonly number[]): Float64Array {
  const K = basis.size;
  const q = basis.inputStates;
  const p = K - q;
  const out = new Float64Array(scales.length * count * K);
  scales.forEach((scale, b) => {
    for (let s = 0; s < count; s++) {
      const row = (b * count + s) * K;
      if (base) out.set(base.subarray(s * K, (s + 1) * K), row);
      for (let i = 0; i < p; i++) out[row + q + i] = out[row + q + i]! + scale * c[s * p + i]!;
    }
  });
  return out;
}

/** AL reference state `x^f + Z^T D (t - y^f)` with `mu = D (t - y^f)`. */
export function referenceFromResponse(free: FreeState, response: OutputResponse): ReferenceState {
  const p = response.outputCount;
  const mu = applyMatrix(response.dirichletToNeumann, targetError(free), free.count, p);
  const extra = { kind: 'reference' as const, adjointError: mu, free };
  if (free.factored) {
    const { basis, coefficients } = free.factored;
    return factoredStates(basis, shiftedCoefficients(basis, coefficients, mu, free.count, [1]), free.count, extra);
  }
  return { ...extra, count: free.count, nodeCount: free.nodeCount, voltages: combineResponse(response, mu, free.count, free.voltages) };
}

/** The current `c` injected at the outputs by the clamped state of `rule`: `e`, `D e` or `D mu`. */
export function clampedCurrents(rule: Rule, e: Float64Array, count: number, response: OutputResponse): Float64Array {
  return rule === 'ep' ? e : applyMatrix(response.dirichletToNeumann, e, count, response.outputCount);
}

/**
 * Clamped state `Z^T c` of `rule` for the error signal `e` (`t - y^f` for EP/CL, `mu` for AL);
 * factored over `basis` when given.
 */
export function clampedFromResponse(rule: Rule, e: Float64Array, count: number, response: OutputResponse, basis?: StateBasis): ClampedState {
  const c = clampedCurrents(rule, e, count, response);
  if (basis) return factoredStates(basis, shiftedCoefficients(basis, null, c, count, [1]), count, { rule, outputCurrents: c });
  return { rule, count, nodeCount: response.nodeCount, voltages: combineResponse(response, c, count), outputCurrents: c };
}

/** Nudged states `x^0 + eta Z^T c` for each eta (block b = etas[b]); factored when the base is. */
export function nudgedFromResponse(rule: Rule, base: BaseState, e: Float64Array, etas: readonly number[], response: OutputResponse): NudgedStates {
  const c = clampedCurrents(rule, e, base.count, response);
  const total = base.count * etas.length;
  if (base.factored) {
    const { basis, coefficients } = base.factored;
    return factoredStates(basis, shiftedCoefficients(basis, coefficients, c, base.count, etas), total, { rule, etas });
  }
  return { rule, etas, count: total, nodeCount: base.nodeCount, voltages: combineResponse(response, c, base.count, base.voltages, etas) };
}
