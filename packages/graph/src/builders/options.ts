import type { Sample } from '../circuit.js';

/** Options every builder shares. */
export interface BuilderOptions {
  /** Seed of the generator (default 1). Same seed, same circuit. */
  readonly seed?: number;
  /** Conductances drawn uniformly from `[low, high)` (default `[0.5, 1.5)`), unless `conductances` is given. */
  readonly conductanceRange?: readonly [number, number];
  /** Explicit conductances (length = edge count of the builder). */
  readonly conductances?: ArrayLike<number>;
  /** Explicit input voltages (length = input count). */
  readonly inputValues?: ArrayLike<number>;
  /** Explicit targets (length = output count). */
  readonly targets?: ArrayLike<number>;
  /** A dataset attached to the circuit. */
  readonly samples?: readonly Sample[];
}
