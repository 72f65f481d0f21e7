import type { Circuit } from '@ohmlab/graph';
import { trainContinuous, type NudgeOptions } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import type { Trajectory } from './trajectory.js';

/** Options of {@link flow}. */
export interface FlowOptions {
  /** Integrate over `[0, duration]` (time in units of 1 / learning rate). */
  readonly duration: number;
  /** Number of evenly spaced records on `[0, duration]` (>= 2). */
  readonly record: number;
  /** Relative tolerance of learners' Dormand-Prince integrator (default: learners' 1e-9). */
  readonly rtol?: number;
  /** Fraction of `duration` done; may throw to abort (the error propagates). */
  readonly onProgress?: (fraction: number) => void;
}

/**
 * The continuous-time flow of a rule (learners' `trainContinuous`, boundary `remove`), continued
 * past disconnections as paper 2, Sec. 4 prescribes ("restrict attention to the remaining
 * connected subnetwork"): learners' `onDisconnect: 'restrict'`. An edge whose conductance reaches
 * 0 is removed at the crossing time located by learners' event locator; outputs (and hidden nodes)
 * that lose every path to an input leave the problem (cut outputs leave the loss, edges of floating
 * parts keep their conductance), and the run ends early only when no output is left. Learners
 * records that moment too, but its losses are empty sums (0) and the circuit's ratios undefined:
 * the trajectory leaves it out, so that it ends with its last regular record, and keeps the final
 * state in `finalConductances` / `tFinal` (`seriesToEnd` draws it).
 */
export async function flow(backend: SolverBackend, circuit: Circuit, nudge: NudgeOptions, options: FlowOptions): Promise<Trajectory> {
  const result = await trainContinuous(backend, circuit, {
    ...nudge,
    duration: options.duration,
    record: options.record,
    boundary: 'remove',
    onDisconnect: 'restrict',
    ...(options.rtol === undefined ? {} : { rtol: options.rtol }),
    ...(options.onProgress === undefined ? {} : { onProgress: (p) => options.onProgress?.(p.fraction) }),
  });
  const h = result.history;
  const time = h.time ?? [];
  const noOutputLeft = result.cutOutputs.length === circuit.outputNodes.length && circuit.outputNodes.length > 0;
  const kept = noOutputLeft && time.at(-1) === result.final.time ? time.length - 1 : time.length;
  const at = (kind: string) => result.events.filter((e) => e.kind === kind);
  return {
    t: Float64Array.from(time.slice(0, kept)),
    loss: Float64Array.from(h.loss.slice(0, kept)),
    weightedLoss: Float64Array.from(h.weightedLoss.slice(0, kept)),
    adjointLoss: Float64Array.from(h.adjointLoss.slice(0, kept)),
    // learners' conserved quantity of the conductance parametrisation: sum_j k_j^2 over all edges
    mass: Float64Array.from(h.mass.slice(0, kept)),
    conductances: (h.conductances ?? []).slice(0, kept),
    removals: at('removed').map((e) => ({ t: e.time as number, edge: e.edge })),
    outputsCut: at('output-cut').map((e) => ({ t: e.time as number, node: e.node as number })),
    finalConductances: Float64Array.from(result.final.conductances),
    tFinal: result.final.time as number,
    ...(result.stop.reason === 'budget' ? {} : { stoppedBecause: `${result.stop.reason}: ${result.stop.message}` }),
  };
}
