/**
 * A training run as the experiments use it: recorded losses, mass and conductances in the
 * circuit's original edge numbering, plus the events (edge removals, outputs cut off).
 */
export interface Trajectory {
  /** Time (continuous flow) or step index (discrete rule) of each record. */
  readonly t: Float64Array;
  /** `L = mean_s |y - t|^2 / 2` over the outputs still connected to an input. */
  readonly loss: Float64Array;
  /** CL weighted loss `mean_s r^T D r / 2` (paper 1, eq. 21). */
  readonly weightedLoss: Float64Array;
  /** AL adjoint loss `mean_s |mu|^2 / 2` (THEORY.md "States"). */
  readonly adjointLoss: Float64Array;
  /** `sum_j k_j^2` over all edges (removed edges count 0) at each record. */
  readonly mass: Float64Array;
  /** Conductances of all edges at each record (removed edges read 0). */
  readonly conductances: readonly Float64Array[];
  /** Edge-removal events: the conductance reached 0 (original edge index). */
  readonly removals: readonly { readonly t: number; readonly edge: number }[];
  /** Outputs that lost every path to the inputs (they leave the loss from then on). */
  readonly outputsCut: readonly { readonly t: number; readonly node: number }[];
  /** Conductances when the run ended. */
  readonly finalConductances: Float64Array;
  /** Time (or step) when the run ended. */
  readonly tFinal: number;
  /** Why the run ended before its budget, if it did. */
  readonly stoppedBecause?: string;
}

/** The rule's own loss series: `L` for EP and CL, `L_AL` for AL. */
export function ruleLoss(trajectory: Trajectory, rule: 'ep' | 'cl' | 'al'): Float64Array {
  return rule === 'al' ? trajectory.adjointLoss : trajectory.loss;
}

/** Last entry of a series. */
export function last(series: ArrayLike<number>): number {
  return series[series.length - 1] as number;
}

/** One edge's conductance along a trajectory. */
export function edgeSeries(trajectory: Trajectory, edge: number): Float64Array {
  return Float64Array.from(trajectory.conductances, (k) => k[edge] as number);
}

/**
 * One edge's conductance (or, with `edge = -1`, the mass) against time, ending at the run's final
 * state when the run ended after its last record (e.g. at the last removal of an early stop).
 */
export function seriesToEnd(trajectory: Trajectory, edge: number): { x: Float64Array; y: Float64Array } {
  const value = (k: Float64Array): number => (edge < 0 ? k.reduce((a, v) => a + v * v, 0) : (k[edge] as number));
  const x = Array.from(trajectory.t);
  const y = trajectory.conductances.map(value);
  if (trajectory.tFinal > last(trajectory.t)) {
    x.push(trajectory.tFinal);
    y.push(value(trajectory.finalConductances));
  }
  return { x: Float64Array.from(x), y: Float64Array.from(y) };
}
