/** Something that happened in a fused training run, in order. `step`: the step after which it happened. */
export type FusedEvent =
  /** An edge reached its level (boundary rule of `@ohmlab/learners`: removed, reflected or clipped). */
  | { readonly kind: 'removed' | 'reflected' | 'clipped'; readonly circuit: number; readonly edge: number; readonly step: number }
  /** A circuit stopped: a node lost its path to every input (learners' stop reason `disconnected`). */
  | { readonly kind: 'stopped'; readonly circuit: number; readonly step: number; readonly message: string }
  /** The run moved to the CPU (float64) at `step` (the steps after it were recomputed there). */
  | { readonly kind: 'fallback'; readonly step: number; readonly reason: string };

/** What {@link FusedTrainer.read} returns: everything the run recorded so far (float64 on the host). */
export interface FusedTrainerState {
  /** Steps done per circuit (a stopped circuit stays at the step where it stopped). */
  readonly steps: Uint32Array;
  /** Parameters theta (= conductances where present), `circuits x edges`, siemens. */
  readonly parameters: Float64Array;
  /** Conductances of the next step: theta, or 0 for removed edges and edges resting at 0. */
  readonly conductances: Float64Array;
  /** 1 where the edge was removed (boundary `remove`). */
  readonly removed: Uint8Array;
  /** Per circuit, the rule's base loss at the start of each step (`L`, or `L_AL` for AL). */
  readonly loss: Float64Array[];
  readonly events: readonly FusedEvent[];
  /** `webgpu` while the GPU runs the steps; `cpu` after a fallback (see the `fallback` event). */
  readonly runsOn: 'webgpu' | 'cpu';
  /**
   * Boundary hits that did not fit the GPU's event buffer between two readbacks (parameters are
   * unaffected; the batch size adapts so that this stays 0 unless edges bounce every step).
   */
  readonly lostEvents: number;
  /** Float64 checks of GPU steps made so far and the worst values they found. */
  readonly checks: { readonly count: number; readonly residual: number; readonly update: number };
}

/**
 * A discrete training run resident on the GPU (see {@link FusedTrainerRequest}). `step(n)` advances
 * every circuit by n steps (states, contrast, update, boundary rule all on the GPU; a float64
 * check of one step every `verifyEvery` steps); `read()` returns what was recorded. On a GPU
 * failure, a failed check or a lost device the run continues on the CPU from the last checked
 * parameters, reported as a `fallback` event, so no step is lost.
 */
export interface FusedTrainer {
  readonly circuits: number;
  readonly edges: number;
  readonly runsOn: 'webgpu' | 'cpu';
  step(count: number): Promise<void>;
  read(): Promise<FusedTrainerState>;
  dispose(): void;
}
