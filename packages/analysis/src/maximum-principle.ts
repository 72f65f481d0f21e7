/**
 * When does a column of M vanish? An exact, combinatorial answer (this package's README, "The
 * maximum-principle theorem"; THEORY.md "Coercivity and regularity", last remark).
 *
 * Theorem. Let `C_i` be the connected component of output i in the circuit with the input nodes
 * (and the edges with k = 0) removed, and `dC_i` the input nodes adjacent to `C_i`. For sample s,
 * column (s, i) of `M = [diag(dv^f_s) W]_s` is zero if and only if all inputs in `dC_i` hold the
 * same voltage in sample s.
 * Proof sketch. `z = L_c^{-1} e_i >= 0` is harmonic on `C_i` minus i with `z_i > 0`, so `z > 0` on
 * `C_i` (strong maximum principle) and `z = 0` elsewhere; hence `W e_i` is nonzero on every edge
 * from `C_i` to `dC_i`. If the column vanishes, every such edge has zero free drop. Let `U` be the
 * largest boundary voltage, held by b adjacent to c in `C_i`: then `x^f_c = U`, an interior
 * maximum of the harmonic `x^f`, so `x^f = U` on all of `C_i` (strong maximum principle); the same
 * argument with the smallest boundary voltage gives `x^f = min`, so all boundary voltages agree.
 * Conversely, equal boundary voltages make `x^f` constant on `C_i` and its boundary, so every edge
 * where `W e_i != 0` (those touching `C_i`) has zero free drop.
 * Corollary (p = 1): M = 0 iff `dC` is single-valued; in particular if `y^f` lies strictly between
 * two input voltages (a convex combination of the `dC` voltages), M != 0, `c_EP > 0`, `c_CL > 0`
 * (D is a positive scalar), and EP/CL cannot have a spurious fixed point there.
 */
import type { Circuit } from '@ohmlab/graph';
import { samplesOf } from '@ohmlab/graph';
import type { Linearisation } from './linearisation.js';
import { checkedConductances } from './validate-input.js';

/** Per (sample, output): the distinct input voltages on the boundary of the output's component. */
export interface OutputIsolation {
  readonly sampleCount: number;
  readonly outputCount: number;
  /** `boundaryVoltages[s * p + i]`: sorted distinct voltages of the inputs adjacent to `C_i` in sample s. */
  readonly boundaryVoltages: number[][];
  /** `zeroColumn[s * p + i]`: the theorem's prediction that column (s, i) of M vanishes. */
  readonly zeroColumn: boolean[];
}

/**
 * For each output i: the indices (into `inputNodes`, increasing) of the inputs adjacent to `C_i`,
 * the component of output i in the circuit without its input nodes and without edges with k = 0.
 */
export function outputBoundaries(circuit: Circuit, conductances?: Float64Array): number[][] {
  const k = checkedConductances(circuit, conductances);
  const n = circuit.nodeCount;
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (let j = 0; j < circuit.edgeFrom.length; j++) {
    if (!(k[j]! > 0)) continue;
    adj[circuit.edgeFrom[j]!]!.push(circuit.edgeTo[j]!);
    adj[circuit.edgeTo[j]!]!.push(circuit.edgeFrom[j]!);
  }
  const inputIndex = new Int32Array(n).fill(-1);
  circuit.inputNodes.forEach((v, i) => (inputIndex[v] = i));
  return Array.from(circuit.outputNodes, (o) => {
    const seen = new Uint8Array(n);
    seen[o] = 1;
    const stack = [o];
    const boundary = new Set<number>();
    while (stack.length > 0) {
      for (const b of adj[stack.pop()!]!) {
        if (inputIndex[b]! >= 0) boundary.add(inputIndex[b]!);
        else if (!seen[b]) {
          seen[b] = 1;
          stack.push(b);
        }
      }
    }
    return Array.from(boundary).sort((a, b) => a - b);
  });
}

/** Evaluates the theorem's predicate for every sample and output (module doc). */
export function outputIsolation(circuit: Circuit, conductances?: Float64Array): OutputIsolation {
  const boundaries = outputBoundaries(circuit, conductances);
  const samples = samplesOf(circuit);
  const p = circuit.outputNodes.length;
  const boundaryVoltages: number[][] = [];
  const zeroColumn: boolean[] = [];
  for (const s of samples) {
    for (let i = 0; i < p; i++) {
      const vals = Array.from(new Set(boundaries[i]!.map((b) => s.inputs[b]!))).sort((a, b) => a - b);
      boundaryVoltages.push(vals);
      zeroColumn.push(vals.length <= 1);
    }
  }
  return { sampleCount: samples.length, outputCount: p, boundaryVoltages, zeroColumn };
}

/**
 * Scale-free size of each column of M: `rho_{s,i} = |M e_{s,i}| / (|W e_i| (max u_s - min u_s))`,
 * in [0, 1] (free drops are at most the input spread). It does not change under `k -> lambda k` or
 * `u -> a u + b`, so it separates the theorem's exact zeros (round-off, ~1e-16 times the condition
 * number of L_c) from small but genuine couplings. 0 when the spread is 0.
 */
export function columnCoupling(lin: Linearisation): Float64Array {
  const { sampleCount: S, outputCount: p, edgeCount: m } = lin;
  const W = lin.responseDrops.data;
  const nIn = lin.batch.inputCount;
  const out = new Float64Array(S * p);
  for (let s = 0; s < S; s++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < nIn; i++) {
      lo = Math.min(lo, lin.batch.inputs[s * nIn + i]!);
      hi = Math.max(hi, lin.batch.inputs[s * nIn + i]!);
    }
    for (let i = 0; i < p; i++) {
      let mm = 0;
      let ww = 0;
      for (let j = 0; j < m; j++) {
        const w = W[j * p + i]!;
        mm += (lin.freeDrops[s * m + j]! * w) ** 2;
        ww += w * w;
      }
      out[s * p + i] = hi > lo && ww > 0 ? Math.sqrt(mm / ww) / (hi - lo) : 0;
    }
  }
  return out;
}
