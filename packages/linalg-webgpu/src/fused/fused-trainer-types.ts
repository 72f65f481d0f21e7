import type { FusedEvent, FusedTrainer as SharedFusedTrainer, FusedTrainerState as SharedFusedTrainerState } from '@ohmlab/linalg-cpu';

/**
 * The shared event type of `linalg-cpu/src/solver.ts`, unchanged: `removed` / `reflected` /
 * `clipped` (an edge reached its level), `stopped` (a node lost its path to every input), and
 * `fallback` (the run moved to the CPU).
 */
export type { FusedEvent };

/**
 * What {@link FusedTrainer.read} returns: the shared `FusedTrainerState`, with `runsOn` narrowed to
 * this backend's two places.
 */
export interface FusedTrainerState extends SharedFusedTrainerState {
  /** `webgpu` while the GPU runs the steps; `cpu` after a fallback (see the `fallback` event). */
  readonly runsOn: 'webgpu' | 'cpu';
}

/**
 * A discrete training run resident on the GPU: the shared `FusedTrainer` of `linalg-cpu` (what
 * `SolverBackend.fusedTrainer` returns). `step(n)` advances every circuit by n steps (states,
 * contrast, update, boundary rule all on the GPU; a float64 check of one step every `verifyEvery`
 * steps); `read()` returns what was recorded. On a GPU failure, a failed check or a lost device
 * the run continues on the CPU from the last checked parameters, reported as a `fallback` event,
 * so no step is lost.
 */
export interface FusedTrainer extends SharedFusedTrainer {
  readonly runsOn: 'webgpu' | 'cpu';
  read(): Promise<FusedTrainerState>;
}
