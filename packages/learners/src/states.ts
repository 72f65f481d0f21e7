/**
 * Equilibrium states of a linear resistor network (shared/THEORY.md "States"), batched over samples:
 * the public functions. Types and sign conventions: `state-types.ts`. Each function obtains its
 * states by the solver's strategy (`StateStrategy`): formed from the free states and the output
 * response (`response-states.ts`, one factorization), or solved on their own Dirichlet sets
 * (`direct-states.ts`).
 */
import { directClampedState, directNudgedState, directReferenceState, freeStateFrom } from './direct-states.js';
import { LearnerConfigError } from './errors.js';
import { clampedFromResponse, factoredFreeState, nudgedFromResponse, referenceFromResponse, targetError } from './response-states.js';
import type { SampleBatch } from './samples.js';
import { basisPlan } from './state-basis.js';
import { solveChecked, type StateSolver } from './state-solver.js';
import type { BaseState, ClampedState, FreeState, NudgedStates, ReferenceState, Rule } from './state-types.js';

export type { BaseState, ClampedState, FreeState, NodeStates, NudgedStates, ReferenceState, Rule } from './state-types.js';

/**
 * Extra right-hand sides `auto` accepts to get one factorization and one solve call per step when
 * the inputs-only factorization is a direct one (dense or sparse Cholesky), where a triangular
 * solve is cheap: a second factorization cost more than 8 of them in every case measured
 * (README "One factorization per step").
 */
export const RESPONSE_EXTRA_OUTPUTS = 8;

/**
 * The strategy a state computation uses on `solver`: its explicit choice, or for `auto`, given the
 * right-hand sides each route would solve (`responseRhs`, `directRhs`):
 * 1. `response` when `responseRhs <= directRhs` (and one factorization, one solve call: the direct
 *    route needs two calls, and for CL two factorizations);
 * 2. `direct` when the inputs-only factorization is iterative (its "factorization" is cheap, every
 *    right-hand side costs a full iterative solve, so the smaller count wins);
 * 3. otherwise `response` while `responseRhs <= directRhs + RESPONSE_EXTRA_OUTPUTS`, else `direct`.
 * Step 2 factors the inputs-only system, which the free states need anyway (EP, CL, metrics).
 */
export async function resolveStrategy(solver: StateSolver, responseRhs: number, directRhs: number): Promise<'response' | 'direct'> {
  if (solver.strategy !== 'auto') return solver.strategy;
  if (responseRhs <= directRhs) return 'response';
  if ((await solver.inputsOnly()).method.includes('cg')) return 'direct';
  return responseRhs <= directRhs + RESPONSE_EXTRA_OUTPUTS ? 'response' : 'direct';
}

/**
 * Right-hand sides the `response` strategy solves for `batch`: its basis input states (unless
 * cached) and the output response (unless cached): at most `min(S, inputs) + p`.
 */
export function responseRhs(solver: StateSolver, batch: SampleBatch, needsFree = true): number {
  const plan = basisPlan(batch);
  const q = !needsFree || solver.hasStateBasis(batch) ? 0 : plan.kind === 'samples' ? batch.count : plan.positions.length;
  return q + (solver.hasOutputResponse() ? 0 : solver.circuit.outputNodes.length);
}

/** Free state `x^f`: inputs at `u`, Kirchhoff's current law elsewhere (THEORY.md "States"). */
export async function freeState(solver: StateSolver, batch: SampleBatch): Promise<FreeState> {
  const f = await solver.inputsOnly();
  const res = await solveChecked(f, { count: batch.count, dirichletValues: batch.inputs }, 'free state');
  return freeStateFrom(res, batch, solver.circuit.outputNodes);
}

/**
 * Free states of `batch` factored over the solver's `StateBasis` (its input states and output
 * response in one solve call of `q + p` right-hand sides, none when cached): the first step of the
 * `response` strategy. Voltages are formed when read.
 */
export async function freeStateWithResponse(solver: StateSolver, batch: SampleBatch): Promise<FreeState> {
  return factoredFreeState(await solver.stateBasis(batch), batch, solver.circuit.outputNodes);
}

/**
 * AL reference state `x^r`: inputs at `u`, outputs at `t`; `mu = (L x^r)[O]` (THEORY.md "States").
 * `free` (the free state of the same batch) is reused by the `response` strategy when given.
 */
export async function referenceState(solver: StateSolver, batch: SampleBatch, free?: FreeState): Promise<ReferenceState> {
  if ((await resolveStrategy(solver, responseRhs(solver, batch, !free), batch.count)) === 'direct') return directReferenceState(solver, batch);
  const f = free ?? (await freeStateWithResponse(solver, batch));
  return referenceFromResponse(f, await solver.outputResponse());
}

/** Checks that `base` is the right kind for `rule` (free for EP/CL, reference for AL). */
function expectBase(rule: Rule, base: BaseState): void {
  if (rule !== 'ep' && rule !== 'cl' && rule !== 'al') {
    throw new LearnerConfigError('rule', `must be "ep", "cl" or "al", got ${JSON.stringify(rule)}`);
  }
  const want = rule === 'al' ? 'reference' : 'free';
  if (base.kind !== want) {
    throw new LearnerConfigError('base', `rule ${rule} needs the ${want} state, got the ${base.kind} state`);
  }
}

/** The output error signal `e` with `x^eta = x^0 + eta xh(e)`: `t - y^f` (EP, CL) or `mu` (AL). */
function errorSignal(base: BaseState): Float64Array {
  return base.kind === 'reference' ? base.adjointError : targetError(base);
}

/**
 * Clamped state `xh` of the zero-nudge limit, inputs grounded (THEORY.md "States"):
 * EP: current `t - y^f` injected at the outputs; CL: outputs held at `t - y^f`; AL: outputs held
 * at `mu`. `base` is the free state (EP, CL) or the reference state (AL) of the same batch.
 */
export async function clampedState(solver: StateSolver, rule: Rule, batch: SampleBatch, base: BaseState): Promise<ClampedState> {
  expectBase(rule, base);
  const e = errorSignal(base);
  if ((await resolveStrategy(solver, responseRhs(solver, batch, false), batch.count)) === 'direct') return directClampedState(solver, rule, batch, e);
  return clampedFromResponse(rule, e, batch.count, await solver.outputResponse(), base.factored?.basis);
}

/**
 * Nudged states `x^eta` for each eta in `etas` (any sign, one block each): EP injects
 * `eta (t - y^f)` at the outputs; CL holds the outputs at `y^f + eta (t - y^f)`; AL holds them at
 * `t + eta mu` (THEORY.md "States"). Inputs at `u` throughout.
 */
export async function nudgedState(
  solver: StateSolver,
  rule: Rule,
  batch: SampleBatch,
  base: BaseState,
  etas: number | readonly number[],
): Promise<NudgedStates> {
  expectBase(rule, base);
  const list = typeof etas === 'number' ? [etas] : etas;
  list.forEach((eta, i) => {
    if (!Number.isFinite(eta)) throw new LearnerConfigError(`eta[${i}]`, `must be finite, got ${eta}`);
  });
  const e = errorSignal(base);
  if ((await resolveStrategy(solver, responseRhs(solver, batch, false), batch.count * list.length)) === 'direct') {
    return directNudgedState(solver, rule, batch, base, e, list);
  }
  return nudgedFromResponse(rule, base, e, list, await solver.outputResponse());
}

/** The base state of a rule: free (EP, CL) or AL reference. */
export function baseState(solver: StateSolver, rule: Rule, batch: SampleBatch): Promise<BaseState> {
  return rule === 'al' ? referenceState(solver, batch) : freeState(solver, batch);
}
