/**
 * Discrete trainer: the physical rule step by step (THEORY.md "Learning rules"; paper 1 sec. 8):
 * `theta <- theta + alpha v(theta)`, with `v` the rule's velocity averaged over the (mini-)batch,
 * then the boundary rule. `createDiscreteTrainer` is the one implementation (resumable, `step(n)`
 * at a time); `trainDiscrete` runs it to its step budget.
 */
import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { DiscreteRun } from './discrete-run.js';
import { LearnerConfigError } from './errors.js';
import type { TrainerOptions, TrainingEvent, TrainingHistory, TrainingResult, TrainingStop } from './trainer-types.js';
import type { FusedPolicy, TrainingPath } from './training-path.js';

/** Options of {@link trainDiscrete}. */
export interface DiscreteTrainerOptions extends TrainerOptions {
  /** Learning rate alpha (> 0). */
  readonly alpha: number;
  /** Step budget (>= 0). */
  readonly steps: number;
  /** Samples per step; default all (full batch). Mini-batches are drawn by a seeded shuffle. */
  readonly batchSize?: number;
  readonly seed?: number;
  /** Record every this many steps (default: so that about 1000 points are kept). Always records step 0 and the last. */
  readonly recordEvery?: number;
  /**
   * Whether the steps between record points may run in the backend's fused trainer
   * (`SolverBackend.fusedTrainer`, e.g. WebGPU): `auto` (default), `never`, `require`
   * ({@link FusedPolicy}). The path taken is reported in `TrainingResult.path`.
   */
  readonly fused?: FusedPolicy;
}

/**
 * Options of {@link createDiscreteTrainer}: those of {@link trainDiscrete}, with the step budget
 * optional (default none: the trainer steps until a stop or until the caller finishes it) and
 * `recordEvery` defaulting to 1 without a budget.
 */
export interface DiscreteTrainerSetup extends Omit<DiscreteTrainerOptions, 'steps'> {
  readonly steps?: number;
}

/** What one `step(n)` call produced. */
export interface DiscreteChunk {
  /** The points recorded during this call (step axis), in order. */
  readonly history: TrainingHistory;
  /** The events of this call (steps count from the start of the run). */
  readonly events: readonly TrainingEvent[];
  /** Steps applied since the start of the run. */
  readonly step: number;
  /** Why training stopped (null while it can go on). */
  readonly stop: TrainingStop | null;
}

/** The state of a discrete run (copies: the caller may keep and change them). */
export interface DiscreteSnapshot {
  /** Steps applied since the start of the run. */
  readonly step: number;
  /** Parameters theta of every original edge. */
  readonly parameters: Float64Array;
  /** Conductances of every original edge (0 for removed edges and edges resting at 0). */
  readonly conductances: Float64Array;
  /** 1 for edges on their boundary: removed, resting at 0 (`reflect`) or held at the floor (`clip`). */
  readonly resting: Uint8Array;
  /** 1 for removed edges. */
  readonly removed: Uint8Array;
  /** 1 for edges frozen outside the problem (`onDisconnect: 'restrict'`). */
  readonly frozen: Uint8Array;
  /** Removed edges in removal order, and output nodes cut off in order. */
  readonly removedEdges: readonly number[];
  readonly cutOutputs: readonly number[];
  /** Every point recorded so far. */
  readonly history: TrainingHistory;
  readonly events: readonly TrainingEvent[];
  readonly stop: TrainingStop | null;
  /** The path the run takes (fused trainer or generic), so far. */
  readonly path: TrainingPath;
}

/**
 * A discrete run that advances on request (Run / Pause / Step). Points, events, the mini-batch
 * shuffle and the stopping rules continue across calls, so any sequence of `step` calls gives
 * exactly the run of one {@link trainDiscrete} call with the same options.
 */
export interface DiscreteTrainer {
  /** Steps applied since the start of the run. */
  readonly stepCount: number;
  /** Why training stopped (null while it can go on). */
  readonly stop: TrainingStop | null;
  /**
   * Applies up to `n` steps (default 1; fewer when training stops) and returns what they recorded.
   * The first call also evaluates and records step 0 (`step(0)` does only that). A point due for a
   * record is recorded as soon as it is reached, so the last point of a chunk is there at once.
   * @throws LearnerConfigError when `n` is not an integer >= 0, or a call is still running.
   */
  step(n?: number): Promise<DiscreteChunk>;
  /** The current state (see {@link DiscreteSnapshot}). */
  snapshot(): DiscreteSnapshot;
  /**
   * Ends the run (if it has not stopped: `stop.reason = 'budget'`, "stopped by the caller") and
   * returns the result, recording the last point when it was not recorded yet.
   */
  finish(): Promise<TrainingResult>;
  /**
   * Releases what the run holds on the backend between calls (the fused trainer's device buffers).
   * `finish()` and a stop do it; call it when abandoning a run. Later steps take the generic path.
   * @throws LearnerConfigError while a `step()` is still running.
   */
  dispose(): void;
}

/**
 * A resumable discrete trainer on `circuit` (see {@link DiscreteTrainer}). Checks the options at
 * once (`LearnerConfigError` naming the field); solves nothing before the first `step`.
 */
export function createDiscreteTrainer(backend: SolverBackend, circuit: Circuit, options: DiscreteTrainerSetup): DiscreteTrainer {
  return new DiscreteRun(backend, circuit, options);
}

/**
 * Trains `circuit` with the discrete physical rule. Stops at the step budget, the loss tolerance,
 * stagnation, or when the circuit can no longer be solved (disconnection: reported in `stop` and
 * as a `stopped` event, never a singular solve; with `onDisconnect: 'restrict'` only when no
 * output is left).
 */
export async function trainDiscrete(backend: SolverBackend, circuit: Circuit, options: DiscreteTrainerOptions): Promise<TrainingResult> {
  const { steps } = options;
  if (!Number.isInteger(steps) || steps < 0) throw new LearnerConfigError('steps', `must be an integer >= 0, got ${steps}`);
  const trainer = createDiscreteTrainer(backend, circuit, options);
  await trainer.step(steps);
  return await trainer.finish();
}
