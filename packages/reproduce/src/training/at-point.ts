import type { Circuit } from '@ohmlab/graph';
import { coercivityConstants, linearise, type CoercivityConstants } from '@ohmlab/analysis';
import { computeStates, edgeContrast, freeState, openStateSolver, sampleBatch, trainingMetrics, type NudgeOptions, type TrainingMetrics } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';

/**
 * `dk/dt` of a rule at the circuit's conductances (learners' states and contrast `g`, update
 * `k <- k - alpha g`; THEORY.md "Learning rules"), mean over the samples. Edges at k = 0 read 0.
 */
export async function velocity(backend: SolverBackend, circuit: Circuit, nudge: NudgeOptions): Promise<Float64Array> {
  const g = edgeContrast(circuit, await computeStates(backend, circuit, nudge));
  return g.map((x, j) => ((circuit.conductances[j] as number) > 0 ? -x : 0));
}

/** Free outputs `y^f` for the circuit's own inputs (`inputValues`, samples ignored). */
export async function freeOutputs(backend: SolverBackend, circuit: Circuit): Promise<Float64Array> {
  const own = { ...circuit, samples: [] };
  const solver = openStateSolver(backend, own);
  try {
    return Float64Array.from((await freeState(solver, sampleBatch(own))).outputs);
  } finally {
    solver.dispose();
  }
}

/** The three losses `L`, `L_CL`, `L_AL` (learners' `trainingMetrics`), means over the samples. */
export async function losses(backend: SolverBackend, circuit: Circuit): Promise<TrainingMetrics> {
  const solver = openStateSolver(backend, circuit);
  try {
    return await trainingMetrics(solver, sampleBatch(circuit));
  } finally {
    solver.dispose();
  }
}

/** Coercivity constants of EP, CL and AL at the circuit's conductances (`@ohmlab/analysis`). */
export async function coercivity(backend: SolverBackend, circuit: Circuit): Promise<CoercivityConstants> {
  return coercivityConstants(await linearise(backend, circuit));
}
