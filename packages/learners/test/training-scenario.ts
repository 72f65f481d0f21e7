import type { Circuit } from '@ohmlab/graph';
import type { DiscreteTrainerOptions } from '../src/index.js';

/** A discrete training run a test replays in several ways (chunked, fused) against the one-call run. */
export interface Scenario {
  readonly name: string;
  readonly circuit: Circuit;
  readonly options: DiscreteTrainerOptions;
  /** Event kinds the one-call run must have (so the scenario tests what it claims). */
  readonly kinds: readonly string[];
  /** The one-call run's stop reason. */
  readonly stop: string;
}
