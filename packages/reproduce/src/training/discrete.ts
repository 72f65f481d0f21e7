import type { Circuit } from '@ohmlab/graph';
import { trainDiscrete, type NudgeOptions } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import type { Trajectory } from './trajectory.js';

/**
 * `steps` applications of the physical rule at learning rate `alpha` (learners' `trainDiscrete`,
 * boundary `remove`, every step recorded): paper 1, Sec. 8, eqs. (51) and (54).
 */
export async function discreteRule(
  backend: SolverBackend,
  circuit: Circuit,
  nudge: NudgeOptions,
  options: { readonly alpha: number; readonly steps: number; readonly onProgress?: (fraction: number) => void },
): Promise<Trajectory> {
  const result = await trainDiscrete(backend, circuit, {
    ...nudge,
    alpha: options.alpha,
    steps: options.steps,
    recordEvery: 1,
    boundary: 'remove',
    ...(options.onProgress === undefined ? {} : { onProgress: (p) => options.onProgress?.(p.fraction) }),
  });
  const h = result.history;
  const conductances = h.conductances ?? [];
  return {
    t: Float64Array.from(h.step ?? []),
    loss: Float64Array.from(h.loss),
    weightedLoss: Float64Array.from(h.weightedLoss),
    adjointLoss: Float64Array.from(h.adjointLoss),
    mass: Float64Array.from(conductances, (k) => k.reduce((a, x) => a + x * x, 0)),
    conductances,
    removals: result.events.filter((e) => e.kind === 'removed').map((e) => ({ t: e.step as number, edge: e.edge })),
    outputsCut: [],
    finalConductances: result.final.conductances,
    tFinal: result.final.step as number,
    ...(result.stop.reason === 'budget' ? {} : { stoppedBecause: `${result.stop.reason}: ${result.stop.message}` }),
  };
}
