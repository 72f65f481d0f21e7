/**
 * Crossbar sufficiency (paper 2, Theorem 4.3). The free outputs of any circuit are linear in the
 * inputs, `y = T u` (T is p x |I|, ground counted as an input). By the maximum principle each row
 * of T is non-negative and sums to 1 (a constant input vector gives a constant state). A crossbar
 * joining output o to input i with conductance `k_{oi} = scale * T_{oi}` has
 * `y_o = sum_i k_{oi} u_i / sum_i k_{oi} = (T u)_o`: the same map. Edges with `T_{oi} = 0` are left out.
 */
import type { Circuit } from '@ohmlab/graph';
import { openStateSolver } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { AnalysisError } from './errors.js';
import { checkedConductances } from './validate-input.js';

/**
 * `T` (p x |I|, row-major) with `y^f = T u`: column i = outputs for unit voltage on input i.
 * @throws CircuitError for a malformed circuit or an output with no path to an input.
 */
export async function transferMatrix(backend: SolverBackend, circuit: Circuit, conductances: Float64Array = circuit.conductances): Promise<Float64Array> {
  const nIn = circuit.inputNodes.length;
  const p = circuit.outputNodes.length;
  const n = circuit.nodeCount;
  const solver = openStateSolver(backend, circuit, { conductances: checkedConductances(circuit, conductances) });
  try {
    const fac = await solver.inputsOnly();
    const vals = new Float64Array(nIn * nIn);
    for (let i = 0; i < nIn; i++) vals[i * nIn + i] = 1;
    const res = await fac.solve({ count: nIn, dirichletValues: vals });
    const T = new Float64Array(p * nIn);
    for (let i = 0; i < nIn; i++) for (let o = 0; o < p; o++) T[o * nIn + i] = res.voltages[i * n + circuit.outputNodes[o]!]!;
    return T;
  } finally {
    solver.dispose();
  }
}

/**
 * A crossbar (inputs `0..|I|-1`, outputs `|I|..|I|+p-1`, edge `i -> |I|+o`) with the same
 * input-output map as `circuit` (module doc). Conductances of output o sum to `scale` (default 1).
 * Input values, targets and samples are carried over.
 * @throws AnalysisError when an entry of T is negative beyond round-off (not a resistor network map).
 */
export async function equivalentCrossbar(backend: SolverBackend, circuit: Circuit, scale = 1): Promise<Circuit> {
  if (!(scale > 0 && Number.isFinite(scale))) throw new AnalysisError('scale', `must be positive and finite, got ${scale}`);
  const T = await transferMatrix(backend, circuit);
  const nIn = circuit.inputNodes.length;
  const p = circuit.outputNodes.length;
  const from: number[] = [];
  const to: number[] = [];
  const k: number[] = [];
  for (let o = 0; o < p; o++) {
    for (let i = 0; i < nIn; i++) {
      const t = T[o * nIn + i]!;
      if (t < -1e-12) throw new AnalysisError('circuit', `transfer entry T[${o}][${i}] = ${t} < 0; a resistor network cannot produce it`);
      if (t <= 0) continue;
      from.push(i);
      to.push(nIn + o);
      k.push(scale * t);
    }
  }
  return {
    nodeCount: nIn + p,
    edgeFrom: Uint32Array.from(from),
    edgeTo: Uint32Array.from(to),
    conductances: Float64Array.from(k),
    inputNodes: Uint32Array.from({ length: nIn }, (_, i) => i),
    inputValues: Float64Array.from(circuit.inputValues),
    outputNodes: Uint32Array.from({ length: p }, (_, o) => nIn + o),
    targets: Float64Array.from(circuit.targets),
    ...(circuit.samples ? { samples: circuit.samples } : {}),
  };
}
