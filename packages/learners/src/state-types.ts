/**
 * Types of the equilibrium states (shared/THEORY.md "States"), batched over samples.
 *
 * Sign conventions (THEORY.md): residual `r = y^f - t`; injected currents flow INTO a node;
 * `mu = (L x^r)[O]` is the current the sources holding the outputs inject. All arrays are
 * sample-major: entry `(s, i)` at `s * len + i`. Voltages are `count x nodeCount`.
 *
 * | state            | Dirichlet set     | held values                    | injected at outputs |
 * |------------------|-------------------|--------------------------------|---------------------|
 * | free `x^f`       | inputs            | `u`                            | -                   |
 * | EP nudged        | inputs            | `u`                            | `eta (t - y^f)`     |
 * | EP clamped `xh`  | inputs            | `0`                            | `t - y^f`           |
 * | CL nudged        | inputs + outputs  | `u`, `y^f + eta (t - y^f)`     | -                   |
 * | CL clamped `xh`  | inputs + outputs  | `0`, `t - y^f`                 | -                   |
 * | AL reference     | inputs + outputs  | `u`, `t`                       | -                   |
 * | AL nudged        | inputs + outputs  | `u`, `t + eta mu`              | -                   |
 * | AL clamped `xh`  | inputs + outputs  | `0`, `mu`                      | -                   |
 *
 * Nudged states are affine in eta: `x^eta = x^0 + eta xh` (`x^0` = free for EP/CL, reference for AL).
 */

import type { Factored } from './state-basis.js';

/** The three learning rules: Equilibrium Propagation, Coupled Learning, Adjoint coupled Learning. */
export type Rule = 'ep' | 'cl' | 'al';

/**
 * Node voltages of `count` states, `count x nodeCount`, sample-major. States of the `response`
 * strategy also carry `factored` (coefficients over a `StateBasis`); their `voltages` are then
 * formed on first read.
 */
export interface NodeStates {
  readonly count: number;
  readonly nodeCount: number;
  readonly voltages: Float64Array;
  readonly factored?: Factored;
}

/** Free state `x^f` with its outputs `y^f` and residuals `r = y^f - t` (both `count x p`). */
export interface FreeState extends NodeStates {
  readonly kind: 'free';
  readonly outputs: Float64Array;
  readonly residual: Float64Array;
}

/** AL reference state `x^r` (inputs at `u`, outputs at `t`) with adjoint error `mu = (L x^r)[O]`. */
export interface ReferenceState extends NodeStates {
  readonly kind: 'reference';
  readonly adjointError: Float64Array;
  /** The free state of the same batch, when it was solved on the way (strategy `response`). */
  readonly free?: FreeState;
}

/** The state a rule compares nudged states against: free (EP, CL) or reference (AL). */
export type BaseState = FreeState | ReferenceState;

/**
 * Clamped state `xh` of the zero-nudge limit (`x^eta = x^0 + eta xh`). `outputCurrents`
 * (`count x p`) is the current entering the network at the outputs: EP `t - y^f`,
 * CL `D (t - y^f)`, AL `D mu` (D = Dirichlet-to-Neumann map, THEORY.md "Circuit").
 */
export interface ClampedState extends NodeStates {
  readonly rule: Rule;
  readonly outputCurrents: Float64Array;
}

/** Nudged states for several nudges: `etas.length * count` states, block `e` is `etas[e]`. */
export interface NudgedStates extends NodeStates {
  readonly rule: Rule;
  readonly etas: readonly number[];
}
