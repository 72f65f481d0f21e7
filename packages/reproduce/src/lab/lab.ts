import type { Circuit } from '@ohmlab/graph';

/** The learning rules of the papers (shared/THEORY.md "Learning rules"). */
export type Rule = 'EP' | 'CL' | 'AL';

/**
 * How an update is formed: `eta = 0` is the zero-nudge flow `dk/dt = -dv^0 * dvh`; `eta != 0` the
 * one-sided finite-nudge rule divided by alpha; `symmetric` compares `x^{+eta}` with `x^{-eta}`.
 */
export interface NudgeSpec {
  readonly rule: Rule;
  readonly eta: number;
  readonly symmetric?: boolean;
}

/** A training trajectory (continuous time or discrete steps). */
export interface Trajectory {
  /** Time (flow) or step index (discrete). */
  readonly t: Float64Array;
  /** Loss (EP/CL: mean over samples of 1/2 |y - t|^2; AL: adjoint loss) at each recorded time. */
  readonly loss: Float64Array;
  /** Mass `sum_j k_j^2` at each recorded time. */
  readonly mass: Float64Array;
  /** Conductances at each recorded time (removed edges read 0). */
  readonly conductances: readonly Float64Array[];
  /** Edge-removal events (conductance reached 0). */
  readonly removals: readonly { readonly t: number; readonly edge: number }[];
  /** Outputs that lost every path to the inputs (they leave the loss from then on). */
  readonly outputsCut: readonly { readonly t: number; readonly node: number }[];
  /** Conductances when the run ended (after the last removal, also when it stopped early). */
  readonly finalConductances: Float64Array;
  /** Time (or step) when the run ended. */
  readonly tFinal: number;
  /** Why integration stopped early, if it did (e.g. an output lost every path to the inputs). */
  readonly stoppedBecause?: string;
}

/** Options of a continuous-time integration. */
export interface FlowOptions {
  readonly tEnd: number;
  /** Number of evenly spaced recorded times (>= 2). */
  readonly record: number;
  /** Relative/absolute tolerance of the adaptive integrator. */
  readonly tolerance?: number;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: (fraction: number) => void;
}

/**
 * The numerical primitives the experiments use. The reproduction depends only on this port; the
 * implementation maps it onto `@ohmlab/learners` and `@ohmlab/analysis`.
 */
export interface Lab {
  /** Which implementation answers (shown in the report). */
  readonly implementation: string;
  /** Free outputs `y^f` for the circuit's own inputs. */
  outputs(circuit: Circuit): Promise<Float64Array>;
  /** EP/CL loss `1/2 |y^f - t|^2`, averaged over `samples` when present. */
  loss(circuit: Circuit): Promise<number>;
  /** AL adjoint loss `1/2 |mu|^2` (THEORY.md "States"), averaged over samples when present. */
  adjointLoss(circuit: Circuit): Promise<number>;
  /** CL weighted loss `1/2 r^T D r` with `D = G^{-1}` (paper 1, eq. 21), averaged over samples. */
  weightedLoss(circuit: Circuit): Promise<number>;
  /** Coercivity constant of a rule at the circuit's conductances (THEORY.md "Coercivity"). */
  coercivityConstant(circuit: Circuit, rule: Rule): Promise<number>;
  /** `dk/dt` of the rule (batched average over samples). */
  velocity(circuit: Circuit, spec: NudgeSpec): Promise<Float64Array>;
  /** Integrate the flow with edge removal when a conductance reaches 0. */
  integrate(circuit: Circuit, spec: NudgeSpec, options: FlowOptions): Promise<Trajectory>;
  /** `steps` discrete physical updates `k <- k + alpha * velocity(eta)` (finite alpha and eta). */
  discrete(circuit: Circuit, spec: NudgeSpec, options: { readonly alpha: number; readonly steps: number; readonly signal?: AbortSignal | undefined }): Promise<Trajectory>;
}
