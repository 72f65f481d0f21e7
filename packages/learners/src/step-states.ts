import type { Circuit } from '@ohmlab/graph';
import type { FactorOptions, SolverBackend } from '@ohmlab/linalg-cpu';
import { LearnerConfigError } from './errors.js';
import { sampleBatch, type SampleBatch } from './samples.js';
import { openStateSolver, type StateSolver } from './state-solver.js';
import { baseState, clampedState, nudgedState, type BaseState, type ClampedState, type NudgedStates, type Rule } from './states.js';

/**
 * How the nudged state is used (THEORY.md "Learning rules"):
 * - `finite`: one-sided nudge, compares `x^eta` with `x^0` (any eta != 0, either sign);
 * - `symmetric`: central clamping, compares `x^{+eta}` with `x^{-eta}` (eta != 0);
 * - `zero`: the zero-nudge limit, uses the clamped state `xh` (eta ignored).
 */
export type Nudge = 'finite' | 'symmetric' | 'zero';

/** Rule and nudge of a training step. `eta` is required for `finite` and `symmetric`. */
export interface NudgeOptions {
  readonly rule: Rule;
  readonly nudge: Nudge;
  readonly eta?: number;
}

/**
 * All states one step of `rule` needs, for every sample of the batch:
 * `base` (free or reference) always; `clamped` for `zero`; `nudged` for `finite` (etas `[eta]`)
 * and `symmetric` (etas `[eta, -eta]`). Two sequential RHS batches on one shared factorization.
 */
export interface StepStates {
  readonly rule: Rule;
  readonly nudge: Nudge;
  readonly eta: number;
  readonly base: BaseState;
  readonly clamped?: ClampedState;
  readonly nudged?: NudgedStates;
}

/** Validates the nudge options and returns eta (0 for `zero`). */
export function checkNudge(options: NudgeOptions): number {
  const { rule, nudge, eta } = options;
  if (rule !== 'ep' && rule !== 'cl' && rule !== 'al') {
    throw new LearnerConfigError('rule', `must be "ep", "cl" or "al", got ${JSON.stringify(rule)}`);
  }
  if (nudge === 'zero') return 0;
  if (nudge !== 'finite' && nudge !== 'symmetric') {
    throw new LearnerConfigError('nudge', `must be "finite", "symmetric" or "zero", got ${JSON.stringify(nudge)}`);
  }
  if (eta === undefined || !Number.isFinite(eta) || eta === 0) {
    throw new LearnerConfigError('eta', `nudge "${nudge}" needs a finite nonzero eta, got ${eta}; use nudge "zero" for the limit`);
  }
  return eta;
}

/** Computes the {@link StepStates} of one step on an open solver. */
export async function stepStates(solver: StateSolver, batch: SampleBatch, options: NudgeOptions): Promise<StepStates> {
  const eta = checkNudge(options);
  const { rule, nudge } = options;
  const base = await baseState(solver, rule, batch);
  if (nudge === 'zero') {
    return { rule, nudge, eta, base, clamped: await clampedState(solver, rule, batch, base) };
  }
  const etas = nudge === 'finite' ? [eta] : [eta, -eta];
  return { rule, nudge, eta, base, nudged: await nudgedState(solver, rule, batch, base, etas) };
}

/** Options of {@link computeStates}. */
export interface ComputeStatesOptions extends NudgeOptions {
  /** Default: all samples of the circuit ({@link sampleBatch}). */
  readonly samples?: SampleBatch;
  /** Default: `circuit.conductances`. Zero entries are absent edges. */
  readonly conductances?: Float64Array;
  readonly factorOptions?: FactorOptions;
}

/**
 * One-shot: opens a solver on `circuit`, computes the states of one step of `rule` with `nudge`
 * for all samples, and releases the factorizations.
 * @example const s = await computeStates(backend, circuit, { rule: 'ep', nudge: 'zero' });
 */
export async function computeStates(backend: SolverBackend, circuit: Circuit, options: ComputeStatesOptions): Promise<StepStates> {
  const solver = openStateSolver(backend, circuit, {
    ...(options.conductances ? { conductances: options.conductances } : {}),
    ...(options.factorOptions ? { factorOptions: options.factorOptions } : {}),
  });
  try {
    return await stepStates(solver, options.samples ?? sampleBatch(circuit), options);
  } finally {
    solver.dispose();
  }
}
