/**
 * What the Lab page asks the worker to train: the circuit choice and the experiment settings of
 * `ohmlab train` (issue 3: rule, nudge, eta, alpha, parametrisation, boundary, seed).
 */
export type CircuitKind = 'divider' | 'kite' | 'crossbar' | 'erdos-renyi' | 'grid' | 'file';
export type Rule = 'ep' | 'cl' | 'al';
export type NudgeMode = 'finite' | 'symmetric' | 'zero';
export type Parametrisation = 'conductance' | 'resistance' | 'log';
export type BoundaryRule = 'remove' | 'reflect' | 'clip';

export interface CircuitChoice {
  readonly kind: CircuitKind;
  /** Crossbar inputs, Erdos-Renyi node count, grid rows. */
  readonly size: number;
  /** Crossbar outputs, grid columns; Erdos-Renyi mean degree. */
  readonly size2: number;
  readonly seed: number;
  /** Target output voltage of the voltage divider and the kite (their builders' default otherwise). */
  readonly target?: number;
  /** The dropped file's text when `kind === 'file'`. */
  readonly json?: string;
  /** The dropped file's name, for labels. */
  readonly fileName?: string;
}

export interface TrainSettings {
  readonly rule: Rule;
  readonly nudge: NudgeMode;
  readonly eta: number;
  readonly alpha: number;
  readonly parametrisation: Parametrisation;
  readonly boundary: BoundaryRule;
  readonly seed: number;
  /** Stop after this many steps. */
  readonly maxSteps: number;
  /** Stop when the rule's base loss (L, or L_AL for AL) is at or below this (0: off). */
  readonly lossTolerance: number;
  /** Record (and analyse) every `recordEvery` steps. */
  readonly recordEvery: number;
}

export interface RunConfig {
  readonly circuit: CircuitChoice;
  readonly train: TrainSettings;
}

export const defaultRunConfig: RunConfig = {
  circuit: { kind: 'erdos-renyi', size: 16, size2: 4, seed: 1 },
  train: {
    rule: 'ep',
    nudge: 'finite',
    eta: 0.1,
    alpha: 0.5,
    parametrisation: 'conductance',
    boundary: 'remove',
    seed: 1,
    maxSteps: 2000,
    lossTolerance: 1e-14,
    recordEvery: 1,
  },
};
