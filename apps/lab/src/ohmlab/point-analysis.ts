import { coercivityConstants, linearise } from '@ohmlab/analysis';
import { nodesWithoutPathTo, type Circuit } from '@ohmlab/graph';
import { DisconnectedCircuitError, type Rule } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';

/** What the Lab shows of one conductance vector besides the losses. */
export interface PointAnalysis {
  /** The rule's coercivity constant (@ohmlab/analysis: `c_EP`, `c_CL` or `c_AL`); NaN if unsolvable. */
  readonly coercivity: number;
  /** Free-state current `k_j dv_j` of each edge of `circuit`, first sample (0 if unsolvable). */
  readonly currents: Float64Array;
}

/**
 * Linearises `circuit` at its conductances (@ohmlab/analysis `linearise`: free, reference and
 * unit-response states through the backend) and reads the rule's coercivity constant
 * (`coercivityConstants`, paper 1 Lemma 5.4; THEORY.md "Coercivity and regularity").
 */
export async function analysePoint(backend: SolverBackend, circuit: Circuit, rule: Rule): Promise<PointAnalysis> {
  const m = circuit.edgeFrom.length;
  // a node without a path to an input (the point where a disconnection stopped the run): unsolvable
  const conducting = Float64Array.from(circuit.conductances, (k) => (k > 0 ? 1 : 0));
  if (nodesWithoutPathTo(circuit, circuit.inputNodes, conducting).length > 0) return { coercivity: Number.NaN, currents: new Float64Array(m) };
  try {
    const lin = await linearise(backend, circuit);
    const constants = coercivityConstants(lin);
    const currents = new Float64Array(m);
    for (let j = 0; j < m; j += 1) currents[j] = (circuit.conductances[j] ?? 0) * (lin.freeDrops[j] ?? 0);
    return { coercivity: constants[rule], currents };
  } catch (error) {
    if (error instanceof DisconnectedCircuitError) return { coercivity: Number.NaN, currents: new Float64Array(m) };
    throw error;
  }
}
