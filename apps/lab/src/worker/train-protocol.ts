import type { BackendPreference } from '../core/backend-choice.js';
import type { RunConfig } from '../core/run-config.js';

/** Messages from the Lab page to the training worker. */
export type TrainRequest =
  | { readonly type: 'load'; readonly config: RunConfig; readonly backend: BackendPreference }
  | { readonly type: 'resume' }
  | { readonly type: 'pause' }
  | { readonly type: 'step'; readonly count: number }
  | { readonly type: 'reset' }
  | { readonly type: 'export' };

/** The circuit as the page draws it (copied out of the worker once per load). */
export interface CircuitSummary {
  readonly nodeCount: number;
  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly inputNodes: Uint32Array;
  readonly inputValues: Float64Array;
  readonly outputNodes: Uint32Array;
  readonly targets: Float64Array;
  readonly sampleCount: number;
}

/** One recorded point of a run (edge arrays in the original circuit's edge order). */
export interface StepRecord {
  readonly step: number;
  /** `L = mean_s |y^f - t|^2 / 2` (THEORY.md "Circuit"). */
  readonly loss: number;
  /** CL weighted loss `mean_s r^T D r / 2`. */
  readonly weightedLoss: number;
  /** AL adjoint loss `mean_s |mu|^2 / 2`. */
  readonly adjointLoss: number;
  /** The conserved quantity of the parametrisation (THEORY.md "Invariants"): Σk², ΣR² or Σθ. */
  readonly conservedQuantity: number;
  /** Coercivity constant of the run's rule at this point (NaN where the circuit cannot be solved). */
  readonly coercivity: number;
  readonly conductances: Float64Array;
  /** Free-state current through each edge, first sample (`k_j dv_j`, A for V and S). */
  readonly currents: Float64Array;
  /** 1 for edges removed by the boundary rule. */
  readonly removed: Uint8Array;
}

/** A boundary event (edge removed, reflected, clipped) or a stop, in the original edge order. */
export interface RunEvent {
  readonly step: number;
  readonly kind: string;
  /** Original edge index, -1 when none. */
  readonly edge: number;
  readonly message: string;
}

/** Messages from the training worker to the page. */
export type TrainReply =
  | {
      readonly type: 'loaded';
      readonly circuit: CircuitSummary;
      readonly backendName: string;
      readonly backendDescription: string;
      /** Why the CPU runs although WebGPU was wanted ('' when it was not). */
      readonly fallbackReason: string;
      readonly initial: StepRecord;
    }
  | { readonly type: 'progress'; readonly records: readonly StepRecord[]; readonly events: readonly RunEvent[] }
  | { readonly type: 'state'; readonly running: boolean; readonly stopReason: string }
  /** Something the GPU backend did instead (a solve on the CPU, a lost device): shown, never silent. */
  | { readonly type: 'notice'; readonly message: string }
  | { readonly type: 'export'; readonly experimentJson: string; readonly historyCsv: string }
  | { readonly type: 'error'; readonly message: string };
