import type { RunConfig } from '../core/run-config.js';

/** Messages from the Lab page to the training worker. */
export type TrainRequest =
  | { readonly type: 'load'; readonly config: RunConfig; readonly backend: 'auto' | 'cpu' }
  | { readonly type: 'resume' }
  | { readonly type: 'pause' }
  | { readonly type: 'step'; readonly count: number }
  | { readonly type: 'reset' };

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
  /** The circuit in the public JSON format of @ohmlab/graph, for the experiment export. */
  readonly json: unknown;
}

/** One recorded point of a run. */
export interface StepRecord {
  readonly step: number;
  readonly loss: number;
  /** The conserved quantity of the chosen parametrisation (THEORY.md "Invariants"). */
  readonly conservedQuantity: number;
  /** Coercivity constant of the chosen rule at this point (NaN where not computed). */
  readonly coercivity: number;
  readonly conductances: Float64Array;
  /** Free-state current through each edge. */
  readonly currents: Float64Array;
  /** 1 for removed edges. */
  readonly removed: Uint8Array;
}

/** A boundary event (edge removed, reflected, clipped) or a stop. */
export interface RunEvent {
  readonly step: number;
  readonly kind: string;
  readonly edge?: number;
  readonly message: string;
}

/** Messages from the training worker to the page. */
export type TrainReply =
  | {
      readonly type: 'loaded';
      readonly circuit: CircuitSummary;
      readonly backendName: string;
      readonly backendDescription: string;
      /** Why the CPU runs although WebGPU was asked for ('' when it was not). */
      readonly fallbackReason: string;
      readonly initial: StepRecord;
    }
  | { readonly type: 'progress'; readonly records: readonly StepRecord[]; readonly events: readonly RunEvent[] }
  | { readonly type: 'state'; readonly running: boolean; readonly stopReason: string }
  | { readonly type: 'error'; readonly message: string };
