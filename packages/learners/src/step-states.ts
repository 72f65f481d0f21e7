import type { Circuit } from '@ohmlab/graph';
import type { FactorOptions, SolverBackend } from '@ohmlab/linalg-cpu';
import { LearnerConfigError } from './errors.js';
import { sampleBatch, type SampleBatch } from './samples.js';
import { directClampedState, directNudgedState, directReferenceState } from './direct-states.js';
import { clampedFromResponse, nudgedFromResponse, referenceFromResponse, targetError } from './response-states.js';
import { openStateSolver, type StateSolver, type StateStrategy } from './state-solver.js';
import type { BaseState, ClampedState, FreeState, NudgedStates, Rule } from './state-types.js';
import { freeState, freeStateWithResponse, resolveStrategy, responseRhs } from './states.js';

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
 * and `symmetric` (etas `[eta, -eta]`). Strategy `response`: ONE solve call (`q + p <= S + p` right-hand
 * sides) on ONE factorization; `direct`: two solve calls (see `StateStrategy`).
 */
export interface StepStates {
  readonly rule: Rule;
  readonly nudge: Nudge;
  readonly eta: number;
  readonly base: BaseState;
  readonly clamped?: ClampedState;
  readonly nudged?: NudgedStates;
  /** The free state (also for AL, when the strategy solved it). */
  readonly free?: FreeState;
  /** How the states were obtained. */
  readonly strategy: 'response' | 'direct';
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

/** Extra inputs of {@link stepStates}. */
export interface StepStatesExtras {
  /** The free state of the same batch on the same solver, if already solved (saves its solve). */
  readonly free?: FreeState;
}

/** Computes the {@link StepStates} of one step on an open solver. */
export async function stepStates(solver: StateSolver, batch: SampleBatch, options: NudgeOptions, extras: StepStatesExtras = {}): Promise<StepStates> {
  const eta = checkNudge(options);
  const { rule, nudge } = options;
  const etas = nudge === 'zero' ? [] : nudge === 'finite' ? [eta] : [eta, -eta];
  // direct: S base states (free or AL reference; none when given) + S per clamped/nudged block
  const directRhs = (extras.free && rule !== 'al' ? 0 : batch.count) + Math.max(1, etas.length) * batch.count;
  const strategy = await resolveStrategy(solver, responseRhs(solver, batch, !extras.free), directRhs);
  let free = extras.free;
  let base: BaseState;
  if (strategy === 'response') {
    free ??= await freeStateWithResponse(solver, batch);
    const response = await solver.outputResponse();
    base = rule === 'al' ? referenceFromResponse(free, response) : free;
    const e = base.kind === 'reference' ? base.adjointError : targetError(free);
    const states = nudge === 'zero'
      ? { clamped: clampedFromResponse(rule, e, batch.count, response, base.factored?.basis) }
      : { nudged: nudgedFromResponse(rule, base, e, etas, response) };
    return { rule, nudge, eta, base, free, strategy, ...states };
  }
  if (rule === 'al') base = await directReferenceState(solver, batch);
  else base = free ??= await freeState(solver, batch);
  const e = base.kind === 'reference' ? base.adjointError : targetError(base);
  const states = nudge === 'zero'
    ? { clamped: await directClampedState(solver, rule, batch, e) }
    : { nudged: await directNudgedState(solver, rule, batch, base, e, etas) };
  return { rule, nudge, eta, base, strategy, ...(free ? { free } : {}), ...states };
}

/** Options of {@link computeStates}. */
export interface ComputeStatesOptions extends NudgeOptions {
  /** Default: all samples of the circuit ({@link sampleBatch}). */
  readonly samples?: SampleBatch;
  /** Default: `circuit.conductances`. Zero entries are absent edges. */
  readonly conductances?: Float64Array;
  readonly factorOptions?: FactorOptions;
  /** Default `auto`. */
  readonly strategy?: StateStrategy;
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
    ...(options.strategy ? { strategy: options.strategy } : {}),
  });
  try {
    return await stepStates(solver, options.samples ?? sampleBatch(circuit), options);
  } finally {
    solver.dispose();
  }
}
