import type { FactorOptions } from '@ohmlab/linalg-cpu';
import type { ParametrisationSpec } from './parametrisation.js';
import type { StateStrategy } from './state-solver.js';
import type { NudgeOptions } from './step-states.js';
import type { TrainingPath } from './training-path.js';

/**
 * What happens when a parameter reaches its boundary (a conductance reaches 0):
 * - `remove` (default): the edge leaves the circuit for good (paper 2 sec. 4, "Handling vanishing
 *   conductances");
 * - `reflect`: the conductance rests at 0 (edge absent from solves) and may only increase again
 *   (paper 2's reflecting rule; its drop is still read from the node voltages);
 * - `clip`: the parameter is held at `floor` (> 0, edge stays in the circuit) and may only increase.
 * For resistance-parametrised edges the boundary is `R = 0` (a short circuit): only `clip` (a floor
 * on R) is supported; with `remove`/`reflect` training stops with a report.
 * Log-conductances never reach a boundary.
 */
export type BoundaryRule = 'remove' | 'reflect' | 'clip';

/**
 * What happens when an output or a hidden node loses its last path to an input (after an edge is
 * removed, or rests at 0 under `reflect`):
 * - `stop` (default): training stops with `stop.reason = 'disconnected'` (no singular solve);
 * - `restrict`: paper 2 sec. 4, "if the input and output nodes remain connected, nothing essential
 *   is lost, and we can restrict our attention to the remaining connected subnetwork". The nodes
 *   without a path to an input leave the problem for good: an `output-cut` event is recorded for each
 *   such output, it leaves the loss, and its targets are no longer read; floating hidden nodes are
 *   dropped from the solves. Nodes never come back: edges with an endpoint outside the problem are
 *   frozen (velocity 0; they keep their conductance, an edge resting at 0 under `reflect` stays
 *   there, and they still count in the conserved mass). A circuit given with parts already cut off
 *   starts restricted (events at step or time 0). Losses are then means over the
 *   samples of `1/2 |r|^2` over the outputs still connected (likewise `r^T D r / 2` and `|mu|^2 / 2`
 *   with `D` of the remaining circuit); over no output they are 0. Training stops (`disconnected`)
 *   only when no output is left.
 */
export type DisconnectPolicy = 'stop' | 'restrict';

/**
 * Something that happened during training. `edge` is the original edge index (-1 if none);
 * `output-cut` events name the output node (original numbering) in `node`.
 */
export interface TrainingEvent {
  readonly kind: 'removed' | 'reflected' | 'clipped' | 'output-cut' | 'stopped';
  readonly edge: number;
  /** `output-cut`: the output node that lost its last path to an input. */
  readonly node?: number;
  /** Discrete trainer: the step after which it happened. */
  readonly step?: number;
  /** Continuous trainer: the time at which it happened. */
  readonly time?: number;
  readonly message?: string;
}

/**
 * Why training stopped: `budget` (steps or time used up), `loss-tolerance`, `stagnation`,
 * `disconnected` (an output or a component lost every path to an input; with `onDisconnect:
 * 'restrict'`, the last output did), `boundary` (a resistance
 * reached 0 without `clip`), `step-cap` (the integrator gave up), `non-finite` (a parameter, state
 * or loss became NaN or infinite, e.g. alpha far too large).
 */
export type StopReason =
  | 'budget'
  | 'loss-tolerance'
  | 'stagnation'
  | 'disconnected'
  | 'boundary'
  | 'step-cap'
  | 'non-finite';

/** Why training stopped, with a message that says where and what (`TrainingResult.stop`). */
export interface TrainingStop {
  readonly reason: StopReason;
  readonly message: string;
}

/** Progress report passed to `onProgress`. */
export interface TrainingProgress {
  /** Fraction of the step or time budget done, in [0, 1]. */
  readonly fraction: number;
  readonly step?: number;
  readonly time?: number;
  /** The rule's base loss at that point (L for EP/CL, L_AL for AL) on the step's batch. */
  readonly loss: number;
}

/** Options shared by both trainers. */
export interface TrainerOptions extends NudgeOptions {
  /** Default `conductance`. */
  readonly parametrisation?: ParametrisationSpec;
  /** Default `remove`. */
  readonly boundary?: BoundaryRule;
  /** Default `stop`. See {@link DisconnectPolicy}. */
  readonly onDisconnect?: DisconnectPolicy;
  /** Floor for `clip`, in the parameter's unit (S or ohm). Default `1e-6 * max |theta_0|`. */
  readonly floor?: number;
  /**
   * Stop when the rule's base loss (L for EP and CL, L_AL for AL) on the step's batch is at or
   * below this. Default 0 (off).
   */
  readonly lossTolerance?: number;
  /**
   * Stop when the base loss fell by less than a fraction `tolerance` over the last `window`
   * steps (discrete) or accepted integrator steps (continuous). Default off.
   */
  readonly stagnation?: { readonly window: number; readonly tolerance: number };
  /** Keep a copy of the conductances at every record point (default true). */
  readonly recordConductances?: boolean;
  readonly onProgress?: (progress: TrainingProgress) => void;
  readonly factorOptions?: FactorOptions;
  /** How states are solved (default `auto`; see `StateStrategy`). */
  readonly strategy?: StateStrategy;
}

/**
 * Recorded history. `step` (discrete) or `time` (continuous) aligns with the other arrays. An
 * early stop (any reason but `budget`) is recorded at its step or time, except a `boundary` stop
 * (a resistance at 0 cannot be solved). At a `disconnected` stop the losses of that last point
 * are over the outputs still connected to an input (the `restrict` convention, 0 when none is).
 */
export interface TrainingHistory {
  readonly step?: number[];
  readonly time?: number[];
  /** `L = mean_s |y^f - t|^2 / 2` over all samples. */
  readonly loss: number[];
  /** CL weighted loss `mean_s r^T D r / 2`. */
  readonly weightedLoss: number[];
  /** AL adjoint loss `mean_s |mu|^2 / 2`. */
  readonly adjointLoss: number[];
  /** The conserved quantity of the parametrisation ({@link conservedMass}). */
  readonly mass: number[];
  readonly conductances?: Float64Array[];
}

/** Result of a training run. */
export interface TrainingResult {
  readonly history: TrainingHistory;
  readonly final: {
    readonly conductances: Float64Array;
    readonly parameters: Float64Array;
    /**
     * L over all samples at the end: over all outputs (`onDisconnect: 'stop'`; NaN when the final
     * circuit could not be solved), or over the outputs still connected (`restrict`; 0 when none is).
     */
    readonly loss: number;
    readonly step?: number;
    readonly time?: number;
  };
  readonly events: TrainingEvent[];
  readonly stop: TrainingStop;
  /** Original indices of removed edges, in removal order. */
  readonly removedEdges: number[];
  /** Output nodes (original numbering) cut off under `onDisconnect: 'restrict'`, in order. */
  readonly cutOutputs: number[];
  /** Discrete trainer: which path ran the steps (backend's fused trainer or generic), and why. */
  readonly path?: TrainingPath;
}
